/**
 * First start through a full server: the first tenant and its administrator are created once,
 * the sign-in details are announced once to the operator and never logged, the administrator can
 * use the admin API, and a second node on the same database announces nothing.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CLI_APP_ID, WEB_CLIENT_APP_ID } from '../../src/directory/apps.types.ts';
import { startParley } from '../../src/main.ts';
import { principalHeaderAuthenticator } from '../fixtures/principal-header-authenticator.ts';
import { adminClient } from '../factories/admin-client.ts';
import { directoryFor } from '../factories/directory.ts';
import { startTestServer, type TestServer } from '../harness/server.ts';

describe('admin API: first start', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      authenticator: principalHeaderAuthenticator,
      env: { PARLEY_BOOTSTRAP_DOMAIN: 'first.example', PARLEY_BOOTSTRAP_ORGANIZATION: 'First Org' },
    });
  });
  after(() => server.close());

  it('announces the administrator once and never logs the password', async () => {
    const announced = server.announcements();
    assert.equal(announced.length, 1);
    const text = announced[0] ?? '';
    const password = /Password:\s+(\S+)/.exec(text)?.[1] ?? '';
    assert.equal(password.length, 20);
    assert.ok(text.includes(server.origin));
    assert.ok(text.includes('admin@first.example'));
    assert.ok(!server.rawLogs().includes(password), 'the password reached the log');

    const directory = directoryFor(server.platform.database);
    const check = await directory.credentials.checkPassword('admin@first.example', password);
    assert.ok(check.ok);
    const tenant = await directory.reader.resolveTenant('first.example');
    assert.equal(tenant?.displayName, 'First Org');
    const users = await adminClient(server, tenant.id, check.user.id).get('/users');
    assert.equal(users.status, 200);
    assert.deepEqual(
      users.json<{ users: { id: string }[] }>().users.map((u) => u.id),
      [check.user.id],
    );
    assert.equal((await directory.apps.getApp(WEB_CLIENT_APP_ID))?.tenantId, tenant.id);
    assert.equal((await directory.apps.getApp(CLI_APP_ID))?.tenantId, tenant.id);
  });

  it('a second node on the same database creates and announces nothing', async () => {
    const announced: string[] = [];
    const second = await startParley(server.config, {
      logDestination: new Writable({ write: (_chunk, _enc, done) => done() }),
      announce: (text) => announced.push(text),
      authenticator: principalHeaderAuthenticator,
    });
    try {
      assert.deepEqual(announced, []);
      const tenants = await server.platform.database.db.selectFrom('tenants').select('id').execute();
      assert.equal(tenants.length, 1);
      // Parley's own apps now name the second node's origin (both serve the same public URL in a cluster).
      const web = await directoryFor(server.platform.database).apps.getApp(WEB_CLIENT_APP_ID);
      assert.equal(web?.redirectUris[0], `${second.origin ?? ''}/auth/callback`);
    } finally {
      await second.stop('test');
    }
  });
});
