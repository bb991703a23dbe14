/**
 * App registrations through the admin API: redirect URI rules, a client secret that is shown
 * once and never again, client certificates, admin consent, and Parley's own registrations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLI_APP_ID, WEB_CLIENT_APP_ID } from '../../src/directory/apps.types.ts';
import { principalHeaderAuthenticator } from '../fixtures/principal-header-authenticator.ts';
import { adminClient, type AdminClient } from '../factories/admin-client.ts';
import { createTestCertificate } from '../factories/certificates.ts';
import { createTenantWithAdmin, directoryFor, type TenantWithAdmin } from '../factories/directory.ts';
import { startTestServer, type TestServer } from '../harness/server.ts';

interface App {
  appId: string;
  redirectUris: string[];
  isFirstParty: boolean;
}
interface Secret {
  id: string;
  hint: string;
  secret?: string;
}

describe('admin API: app registrations', () => {
  let server: TestServer;
  let a: TenantWithAdmin;
  let b: TenantWithAdmin;
  let asAdmin: AdminClient;
  let asOtherAdmin: AdminClient;

  before(async () => {
    server = await startTestServer({ authenticator: principalHeaderAuthenticator });
    a = await createTenantWithAdmin(server.platform.database);
    b = await createTenantWithAdmin(server.platform.database);
    asAdmin = adminClient(server, a.tenant.id, a.admin.id);
    asOtherAdmin = adminClient(server, b.tenant.id, b.admin.id);
  });
  after(() => server.close());

  it('validates redirect URIs on create and patch', async () => {
    const created = await asAdmin.post('/apps', {
      displayName: 'Echo bot',
      redirectUris: ['https://bot.example.com/auth', 'http://localhost:3978/cb'],
    });
    assert.equal(created.status, 201, created.text);
    const app = created.json<App>();
    assert.match(app.appId, /^[0-9a-f-]{36}$/);
    for (const bad of [
      'http://bot.example.com/auth',
      'https://*.example.com/auth',
      'https://bot.example.com/auth#x',
      'relative/path',
      'javascript:alert(1)',
      `https://bot.example.com/${'a'.repeat(300)}`,
    ]) {
      const refused = await asAdmin.patch(`/apps/${app.appId}`, { redirectUris: [bad] });
      assert.equal(refused.status, 400, `${bad}: ${refused.text}`);
    }
    const tooMany = Array.from({ length: 51 }, (_, i) => `https://bot.example.com/${i}`);
    assert.equal((await asAdmin.patch(`/apps/${app.appId}`, { redirectUris: tooMany })).status, 400);
    assert.equal((await asAdmin.patch(`/apps/${app.appId}`, { redirectUris: [{ $ne: null }] })).status, 400);
    const patched = await asAdmin.patch(`/apps/${app.appId}`, { redirectUris: ['http://[::1]:8080/cb'] });
    assert.deepEqual(patched.json<App>().redirectUris, ['http://[::1]:8080/cb']);
    assert.equal((await asOtherAdmin.get(`/apps/${app.appId}`)).status, 404);
    assert.equal((await asOtherAdmin.patch(`/apps/${app.appId}`, { redirectUris: [] })).status, 404);
  });

  it('shows a client secret in the reply that creates it and never again', async () => {
    const app = (await asAdmin.post('/apps', { displayName: 'Daemon' })).json<App>();
    const added = await asAdmin.post(`/apps/${app.appId}/secrets`, { displayName: 'ci', lifetimeDays: 30 });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.headers['cache-control'], 'no-store');
    const secret = added.json<Secret>();
    assert.match(secret.secret ?? '', /^[A-Za-z0-9_-]{40}$/);
    assert.equal(secret.hint, secret.secret?.slice(0, 3));
    const value = secret.secret ?? '';
    for (const path of [`/apps/${app.appId}/secrets`, `/apps/${app.appId}`, '/apps']) {
      const response = await asAdmin.get(path);
      assert.equal(response.status, 200);
      assert.ok(!response.text.includes(value), `${path} shows the secret again`);
    }
    assert.equal(
      (await asAdmin.get(`/apps/${app.appId}/secrets`)).json<{ secrets: Secret[] }>().secrets[0]?.secret,
      undefined,
    );
    assert.ok(!server.rawLogs().includes(value), 'the secret reached the log');
    assert.equal(
      await directoryFor(server.platform.database).apps.verifyClientSecret(app.appId, value),
      true,
    );
    assert.equal(
      (await asAdmin.post(`/apps/${app.appId}/secrets`, { displayName: 'x', lifetimeDays: 731 })).status,
      400,
    );
    assert.equal(
      (await asOtherAdmin.post(`/apps/${app.appId}/secrets`, { displayName: 'x', lifetimeDays: 1 })).status,
      404,
    );
    assert.equal((await asOtherAdmin.delete(`/apps/${app.appId}/secrets/${secret.id}`)).status, 404);
    assert.equal((await asAdmin.delete(`/apps/${app.appId}/secrets/${secret.id}`)).status, 204);
    assert.equal(
      await directoryFor(server.platform.database).apps.verifyClientSecret(app.appId, value),
      false,
    );
    const spa = (await asAdmin.post('/apps', { displayName: 'SPA', isPublicClient: true })).json<App>();
    assert.equal(
      (await asAdmin.post(`/apps/${spa.appId}/secrets`, { displayName: 'x', lifetimeDays: 1 })).status,
      400,
    );
  });

  it('adds client certificates and refuses unusable ones', async () => {
    const app = (await asAdmin.post('/apps', { displayName: 'Cert app' })).json<App>();
    const cert = await createTestCertificate({ keyType: 'ec' });
    const added = await asAdmin.post(`/apps/${app.appId}/certificates`, {
      pem: cert.certPem,
      displayName: 'ec',
    });
    assert.equal(added.status, 201, added.text);
    const body = added.json<{ id: string; thumbprintSha256: string }>();
    assert.match(body.thumbprintSha256, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!added.text.includes('BEGIN'), 'the certificate list shows thumbprints, not PEM');
    const expired = await createTestCertificate({
      notBefore: new Date(Date.now() - 1e10),
      notAfter: new Date(Date.now() - 1e9),
    });
    const ed = await createTestCertificate({ keyType: 'ed25519' });
    for (const pem of [expired.certPem, ed.certPem, cert.keyPem, `${cert.certPem}${cert.keyPem}`, 'garbage'])
      assert.equal((await asAdmin.post(`/apps/${app.appId}/certificates`, { pem })).status, 400);
    const listed = await asAdmin.get(`/apps/${app.appId}/certificates`);
    assert.equal(listed.json<{ certificates: unknown[] }>().certificates.length, 1);
    assert.equal((await asOtherAdmin.delete(`/apps/${app.appId}/certificates/${body.id}`)).status, 404);
    assert.equal((await asAdmin.delete(`/apps/${app.appId}/certificates/${body.id}`)).status, 204);
  });

  it('grants admin consent and keeps first-party apps out of reach', async () => {
    const app = (await asAdmin.post('/apps', { displayName: 'Consented' })).json<App>();
    const consent = await asAdmin.post(`/apps/${app.appId}/consents`, {
      resource: 'api://parley',
      scopes: ['User.Read'],
      roles: ['User.Read.All'],
    });
    assert.equal(consent.status, 200, consent.text);
    assert.deepEqual(consent.json<{ scopes: string[] }>().scopes, ['User.Read']);
    assert.equal(
      (
        await asOtherAdmin.post(`/apps/${app.appId}/consents`, {
          resource: 'api://parley',
          scopes: [],
          roles: [],
        })
      ).status,
      404,
    );
    assert.equal(
      (await asAdmin.post(`/apps/${app.appId}/consents`, { resource: 'x', scopes: ['a b'], roles: [] }))
        .status,
      400,
    );

    // The server's first start registered Parley's own apps in its first tenant.
    const apps = directoryFor(server.platform.database).apps;
    const web = await apps.getApp(WEB_CLIENT_APP_ID);
    assert.deepEqual(web?.redirectUris, [`${server.origin}/auth/callback`, `${server.origin}/`]);
    assert.equal(web.isFirstParty, true);
    assert.equal((await apps.getApp(CLI_APP_ID))?.isPublicClient, true);
    const owner = adminClient(server, web.tenantId, 'not-a-user');
    assert.equal((await owner.get('/apps')).status, 403);
  });
});
