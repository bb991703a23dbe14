import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { forEachEngine, testLogger } from '../../test/harness/engines.ts';
import { migrateToLatest } from '../platform/db/migrator.ts';
import { createTestCertificate } from '../../test/factories/certificates.ts';
import {
  createApp,
  createTenantWithAdmin,
  observedDirectory,
  openMigrated,
} from '../../test/factories/directory.ts';
import type { Database } from '../platform/db/database.ts';
import { redirectUriProblem } from './app.rules.ts';
import { CLI_APP_ID, WEB_CLIENT_APP_ID } from './apps.types.ts';
import type { Actor } from './service-support.ts';
import { rejectsWith } from './test-support.ts';

const ADMIN: Actor = { type: 'user', id: 'admin-under-test' };
const DAY_MS = 86_400_000;

describe('redirect URI rules', () => {
  const accepted = [
    'https://app.example.com/callback',
    'https://app.example.com:8443/a/b?x=1',
    'http://localhost',
    'http://localhost:3000/auth',
    'http://127.0.0.1:8080/cb',
    'http://[::1]/cb',
    `https://example.com/${'a'.repeat(256 - 'https://example.com/'.length)}`,
  ];
  const refused = [
    'http://app.example.com/callback',
    'http://localhost.example.com/cb',
    'http://127.0.0.2/cb',
    'https://*.example.com/cb',
    'https://example.com/cb*',
    'https://example.com/cb#fragment',
    'https://example.com/cb#',
    '/relative/path',
    'example.com/cb',
    'javascript:alert(1)',
    'data:text/html,hi',
    'ftp://example.com/cb',
    'https://user:pass@example.com/cb',
    'https://example.com/c b',
    'https://example.com/cb\n',
    '',
    `https://example.com/${'a'.repeat(257 - 'https://example.com/'.length)}`,
  ];
  for (const uri of accepted)
    it(`accepts ${uri.slice(0, 60)}`, () => assert.equal(redirectUriProblem(uri), undefined));
  for (const uri of refused)
    it(`refuses ${JSON.stringify(uri.slice(0, 60))}`, () =>
      assert.equal(typeof redirectUriProblem(uri), 'string'));
});

forEachEngine('directory app registrations', (ctx) => {
  let database: Database;
  let env: ReturnType<typeof observedDirectory>;
  let clock = Date.now();
  before(async () => {
    database = await openMigrated(ctx);
    env = observedDirectory(database, { now: () => clock });
  });

  it('creates registrations with validated redirect URIs, scopes and roles', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const apps = env.directory.service.apps;
    const app = await apps.createApp(
      tenant.id,
      {
        displayName: 'Echo bot',
        signInAudience: 'AzureADMultipleOrgs',
        redirectUris: ['https://bot.example.com/auth', 'https://bot.example.com/auth'],
        identifierUris: ['api://echo-bot'],
        apiScopes: [{ value: 'Echo.Read', description: 'Read echoes' }],
        appRoles: [{ value: 'Echo.Write.All', description: 'Write every echo' }],
        requiredResourceAccess: [{ resource: 'api://other', scopes: ['User.Read'], roles: [] }],
      },
      ADMIN,
    );
    assert.match(app.appId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(app.redirectUris, ['https://bot.example.com/auth']);
    assert.deepEqual(await apps.getApp(app.appId), app);
    assert.equal((await env.directory.apps.findAppByResource('api://echo-bot'))?.appId, app.appId);
    assert.equal((await env.directory.apps.findAppByResource(app.appId))?.appId, app.appId);
    assert.equal(await env.directory.apps.findAppByResource('api://echo'), undefined);
    await rejectsWith(
      apps.createApp(tenant.id, { displayName: 'Copy', identifierUris: ['api://echo-bot'] }, ADMIN),
      'conflict',
    );
    await rejectsWith(
      apps.createApp(tenant.id, { displayName: 'x', redirectUris: ['http://evil.example/cb'] }, ADMIN),
      'invalid_request',
    );
    await rejectsWith(
      apps.createApp(
        tenant.id,
        { displayName: 'x', redirectUris: Array.from({ length: 51 }, (_, i) => `https://a.example/${i}`) },
        ADMIN,
      ),
      'invalid_request',
    );
    await rejectsWith(
      apps.createApp(
        tenant.id,
        { displayName: 'x', apiScopes: [{ value: 'has space', description: '' }] },
        ADMIN,
      ),
      'invalid_request',
    );
    await rejectsWith(
      apps.createApp(
        tenant.id,
        { displayName: 'x', identifierUris: ['https://not-our-domain.example/api'] },
        ADMIN,
      ),
      'invalid_request',
    );
    const updated = await apps.updateApp(
      tenant.id,
      app.appId,
      { redirectUris: ['http://localhost:5000/cb'] },
      ADMIN,
    );
    assert.deepEqual(updated.redirectUris, ['http://localhost:5000/cb']);
    const other = await createTenantWithAdmin(database);
    await rejectsWith(apps.updateApp(other.tenant.id, app.appId, { redirectUris: [] }, ADMIN), 'not_found');
    await rejectsWith(apps.getTenantApp(other.tenant.id, app.appId), 'not_found');
    assert.deepEqual(
      (await apps.listApps(tenant.id)).map((a) => a.appId),
      [app.appId],
    );
    assert.ok(env.audit.entries.some((e) => e.action === 'app.created' && e.target?.id === app.appId));
  });

  it('shows a client secret once, keeps only its hash and hint, and honours expiry', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const creds = env.directory.service.appCredentials;
    const { app } = await createApp(database, tenant.id, { withSecret: false });
    const { secret, info } = await creds.addSecret(
      tenant.id,
      app.appId,
      { displayName: 'ci', lifetimeDays: 10 },
      ADMIN,
    );
    assert.match(secret, /^[A-Za-z0-9_-]{40}$/);
    assert.equal(info.hint, secret.slice(0, 3));
    const listed = await creds.listSecrets(tenant.id, app.appId);
    assert.equal(listed.length, 1);
    assert.ok(!JSON.stringify(listed).includes(secret));
    const stored = await database.db
      .selectFrom('app_secrets')
      .selectAll()
      .where('app_id', '=', app.appId)
      .execute();
    assert.ok(!JSON.stringify(stored).includes(secret), 'the secret itself is not stored');
    assert.match(stored[0]?.secret_hash ?? '', /^scrypt\$/);
    assert.ok(!JSON.stringify(env.audit.entries).includes(secret), 'the secret is not audited');

    assert.equal(await env.directory.apps.verifyClientSecret(app.appId, secret), true);
    assert.equal(await env.directory.apps.verifyClientSecret(app.appId, `${secret.slice(0, 39)}x`), false);
    assert.equal(await env.directory.apps.verifyClientSecret(app.appId, 'nope'), false);
    assert.equal(await env.directory.apps.verifyClientSecret('not-an-app', secret), false);
    clock += 11 * DAY_MS;
    assert.equal(await env.directory.apps.verifyClientSecret(app.appId, secret), false, 'expired');
    clock -= 11 * DAY_MS;

    await rejectsWith(
      creds.addSecret(tenant.id, app.appId, { displayName: 'x', lifetimeDays: 731 }, ADMIN),
      'invalid_request',
    );
    await rejectsWith(
      creds.addSecret(tenant.id, app.appId, { displayName: 'x', lifetimeDays: 0 }, ADMIN),
      'invalid_request',
    );
    const other = await createTenantWithAdmin(database);
    await rejectsWith(
      creds.addSecret(other.tenant.id, app.appId, { displayName: 'x', lifetimeDays: 1 }, ADMIN),
      'not_found',
    );
    await rejectsWith(creds.removeSecret(other.tenant.id, app.appId, info.id, ADMIN), 'not_found');
    const { app: spa } = await createApp(database, tenant.id, { isPublicClient: true });
    await rejectsWith(
      creds.addSecret(tenant.id, spa.appId, { displayName: 'x', lifetimeDays: 1 }, ADMIN),
      'invalid_request',
    );
    await creds.removeSecret(tenant.id, app.appId, info.id, ADMIN);
    assert.equal(await env.directory.apps.verifyClientSecret(app.appId, secret), false, 'removed');
  });

  it('accepts RSA and EC client certificates with their thumbprints and refuses others', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const creds = env.directory.service.appCredentials;
    const { app } = await createApp(database, tenant.id, { withSecret: false });
    const rsa = await createTestCertificate({ keyType: 'rsa' });
    const added = await creds.addCertificate(tenant.id, app.appId, { pem: rsa.certPem }, ADMIN);
    const der = new X509Certificate(rsa.certPem).raw;
    assert.equal(added.thumbprintSha256, createHash('sha256').update(der).digest('base64url'));
    assert.equal(added.thumbprintSha1, createHash('sha1').update(der).digest('base64url'));
    assert.equal(added.displayName, 'CN=test client');
    assert.ok(!added.certificatePem.includes('PRIVATE KEY'));
    const ec = await createTestCertificate({ keyType: 'ec' });
    await creds.addCertificate(tenant.id, app.appId, { pem: ec.certPem, displayName: 'ec' }, ADMIN);
    assert.equal((await env.directory.apps.listCertificates(app.appId)).length, 2);
    await rejectsWith(creds.addCertificate(tenant.id, app.appId, { pem: rsa.certPem }, ADMIN), 'conflict');

    const refused = [
      (await createTestCertificate({ keyType: 'ed25519' })).certPem,
      (
        await createTestCertificate({
          notBefore: new Date(Date.now() - 10 * DAY_MS),
          notAfter: new Date(Date.now() - DAY_MS),
        })
      ).certPem,
      (await createTestCertificate({ keyType: 'rsa', rsaBits: 1024 })).certPem,
      rsa.certPem + rsa.keyPem,
      'not a certificate',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    ];
    for (const pem of refused)
      await rejectsWith(creds.addCertificate(tenant.id, app.appId, { pem }, ADMIN), 'invalid_request');

    const [first] = await env.directory.apps.listCertificates(app.appId);
    clock += 400 * DAY_MS;
    assert.deepEqual(
      await env.directory.apps.listCertificates(app.appId),
      [],
      'expired certificates are not offered',
    );
    clock -= 400 * DAY_MS;
    const other = await createTenantWithAdmin(database);
    await rejectsWith(
      creds.removeCertificate(other.tenant.id, app.appId, first?.id ?? '', ADMIN),
      'not_found',
    );
    await creds.removeCertificate(tenant.id, app.appId, first?.id ?? '', ADMIN);
    assert.equal((await env.directory.apps.listCertificates(app.appId)).length, 1);
  });

  it('records admin consent for apps the tenant may use', async () => {
    const owner = await createTenantWithAdmin(database);
    const guest = await createTenantWithAdmin(database);
    const apps = env.directory.service.apps;
    const { app: single } = await createApp(database, owner.tenant.id, { withSecret: false });
    const { app: multi } = await createApp(database, owner.tenant.id, {
      signInAudience: 'AzureADMultipleOrgs',
      withSecret: false,
    });
    const grant = { resource: 'api://graph', scopes: ['User.Read', 'User.Read'], roles: ['User.Read.All'] };
    const consent = await apps.grantAdminConsent(owner.tenant.id, single.appId, grant, ADMIN);
    assert.deepEqual(consent.scopes, ['User.Read']);
    assert.deepEqual(
      await env.directory.apps.getConsent(owner.tenant.id, single.appId, 'api://graph'),
      consent,
    );
    await rejectsWith(apps.grantAdminConsent(guest.tenant.id, single.appId, grant, ADMIN), 'not_found');
    await apps.grantAdminConsent(guest.tenant.id, multi.appId, grant, ADMIN);
    assert.equal(await env.directory.apps.getConsent(owner.tenant.id, multi.appId, 'api://graph'), undefined);
    assert.ok(await env.directory.apps.getConsent(guest.tenant.id, multi.appId, 'api://graph'));
    await rejectsWith(
      apps.grantAdminConsent(owner.tenant.id, single.appId, { ...grant, scopes: ['a b'] }, ADMIN),
      'invalid_request',
    );
    const outcomes = env.audit.entries
      .filter((e) => e.action === 'app.consent_granted' && e.tenantId === guest.tenant.id)
      .map((e) => `${e.target?.id ?? ''}:${e.outcome}`);
    assert.deepEqual(outcomes, [`${single.appId}:failure`, `${multi.appId}:success`]);
  });

  it('registers the first-party web client and CLI once, for every tenant, unchangeable by admins', async () => {
    const fresh = await ctx.fresh();
    const db = await fresh.open();
    await migrateToLatest(db, testLogger());
    const own = observedDirectory(db);
    assert.deepEqual(await own.directory.ensureFirstPartyApps('https://parley.example'), [], 'no tenant yet');
    const first = await createTenantWithAdmin(db, { directory: own.directory });
    const second = await createTenantWithAdmin(db, { directory: own.directory });
    const created = await own.directory.ensureFirstPartyApps('https://parley.example/');
    assert.deepEqual(
      created.map((a) => a.appId),
      [WEB_CLIENT_APP_ID, CLI_APP_ID],
    );
    const again = await own.directory.ensureFirstPartyApps('https://other.example');
    const web = again[0];
    assert.deepEqual(web?.redirectUris, ['https://other.example/auth/callback', 'https://other.example/']);
    assert.equal(web.tenantId, first.tenant.id);
    assert.equal(web.isPublicClient, true);
    assert.equal(web.isFirstParty, true);
    assert.equal(web.signInAudience, 'AzureADMultipleOrgs');
    assert.deepEqual(again[1]?.redirectUris, ['http://localhost']);
    assert.equal(web.createdAt, created[0]?.createdAt);
    await rejectsWith(
      own.directory.service.apps.updateApp(first.tenant.id, WEB_CLIENT_APP_ID, { redirectUris: [] }, ADMIN),
      'forbidden',
    );
    await own.directory.service.apps.grantAdminConsent(
      second.tenant.id,
      WEB_CLIENT_APP_ID,
      { resource: 'api://parley', scopes: ['openid'], roles: [] },
      ADMIN,
    );
  });
});
