/**
 * Token checks of the security plan (T10–T14) against the real authenticator, real keys in a real
 * database: every forged or misused token is refused, and a well-formed one is accepted (so the
 * refusals are not an accident of a broken baseline).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, importJWK, type JWK } from 'jose';
import { forEachEngine, testLogger } from '../../../test/harness/engines.ts';
import { loadConfig } from '../../config/load.ts';
import type { Database } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import { createSealer } from '../../platform/crypto/sealer.ts';
import { createDirectoryReader } from '../../directory/directory.reader.ts';
import type { AuditEntry } from '../../audit/audit.types.ts';
import { SigningKeyStore } from '../oidc/signing-keys.ts';
import { TenantProviders } from '../oidc/tenant-providers.ts';
import type { OidcDirectory } from '../oidc/oidc-directory.ts';
import { TokenAuthenticator } from './token-authenticator.ts';

const ORIGIN = 'https://parley.test:8443';
const DAY = 86_400_000;

forEachEngine('token authenticator (T10–T14)', (ctx) => {
  let database: Database;
  let keys: SigningKeyStore;
  let authenticator: TokenAuthenticator;
  let audit: AuditEntry[];
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  const userId = randomUUID();

  before(async () => {
    database = await ctx.open();
    await migrateToLatest(database, testLogger());
    const now = Date.now();
    for (const id of [tenantId, otherTenantId])
      await database.db
        .insertInto('tenants')
        .values({
          id,
          display_name: 'T',
          sign_in_policy: '{"requireMfa":false,"allowedNetworks":[]}',
          created_at: now,
        })
        .execute();
    await database.db
      .insertInto('users')
      .values({
        id: userId,
        tenant_id: tenantId,
        user_principal_name: `u${randomBytes(3).toString('hex')}@t.test`,
        mail: null,
        display_name: 'Ada',
        given_name: null,
        surname: null,
        job_title: null,
        department: null,
        office_location: null,
        business_phones: '[]',
        mobile_phone: null,
        time_zone: null,
        preferred_language: null,
        user_type: 'Member',
        account_enabled: 1,
        password_hash: null,
        password_changed_at: null,
        sessions_valid_after: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    keys = new SigningKeyStore(database, createSealer(randomBytes(32)), {
      purpose: `tokens-${randomBytes(3).toString('hex')}`,
      rotationMs: 30 * DAY,
      tokenLifetimeMs: 2 * DAY,
    });
    const reader = createDirectoryReader(database);
    const providers = new TenantProviders({
      database,
      config: loadConfig({}, '/tmp'),
      directory: { reader } as OidcDirectory,
      keys,
      cookieKeys: ['k'],
      origin: () => ORIGIN,
      logger: testLogger(),
    });
    audit = [];
    authenticator = new TokenAuthenticator({
      providers,
      reader,
      database,
      origin: () => ORIGIN,
      audit: { record: (e) => Promise.resolve(void audit.push(e)) },
      appExists: () => Promise.resolve(true),
    });
  });

  const claims = (over: Record<string, unknown> = {}) => ({
    iss: `${ORIGIN}/${tenantId}/v2.0`,
    aud: 'https://graph.microsoft.com',
    tid: tenantId,
    oid: userId,
    sub: userId,
    azp: 'client-1',
    ver: '2.0',
    idtyp: 'user',
    scp: 'User.Read',
    ...over,
  });

  const sign = async (
    payload: Record<string, unknown>,
    header: Record<string, unknown> = {},
    at = { iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 },
  ) => {
    const set = await keys.load();
    const key = await importJWK(set.signing.privateJwk, 'RS256');
    return new SignJWT({ ...payload })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: set.signing.kid, ...header })
      .setIssuedAt(at.iat)
      .setExpirationTime(at.exp)
      .sign(key);
  };

  const refused = async (token: string, reason?: RegExp) => {
    const result = await authenticator.verify(token);
    assert.equal(result.principal, undefined, `expected refusal, got ${JSON.stringify(result)}`);
    if (reason !== undefined) assert.match(result.reason ?? '', reason);
  };

  it('accepts a well-formed user token (baseline)', async () => {
    const { principal } = await authenticator.verify(await sign(claims()));
    assert.ok(principal !== undefined);
    assert.equal(principal.kind, 'user');
    assert.equal(principal.id, userId);
    assert.deepEqual(principal.scopes, ['User.Read']);
  });

  it('T10: refuses alg none and unsigned tokens', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    await refused(`${enc({ alg: 'none', typ: 'JWT' })}.${enc({ ...claims(), iat: now, exp: now + 600 })}.`);
    await refused(`${enc({ alg: 'none', typ: 'JWT' })}.${enc({ ...claims(), iat: now, exp: now + 600 })}`);
  });

  it('T11: refuses HS256 signed with the public key (key confusion)', async () => {
    const set = await keys.load();
    const publicBytes = new TextEncoder().encode(JSON.stringify(set.signing.publicJwk));
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: set.signing.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(publicBytes);
    await refused(token, /algorithm/);
  });

  it('T12: refuses wrong audience, issuer, typ, an ID token, and another tenant', async () => {
    await refused(await sign(claims({ aud: 'some-client-id' })));
    await refused(await sign(claims({ iss: `https://evil.test/${tenantId}/v2.0` })), /issuer/);
    await refused(await sign(claims(), { typ: 'at+jwt' }));
    // An ID token: audience is the client and there is no idtyp/scp.
    const idToken = claims({ aud: 'client-1' });
    delete (idToken as Record<string, unknown>).idtyp;
    await refused(await sign(idToken));
    // Issued by tenant B's issuer for a user of tenant A.
    await refused(
      await sign(claims({ tid: otherTenantId, iss: `${ORIGIN}/${otherTenantId}/v2.0` })),
      /user_disabled/,
    );
    // Issuer of tenant A with tid of tenant B.
    await refused(await sign(claims({ tid: otherTenantId })), /issuer/);
  });

  it('T13: refuses expired and not-yet-valid tokens beyond 5 minutes of skew, accepts within', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(await sign(claims(), {}, { iat: now - 3600, exp: now - 360 }), /exp/i);
    await refused(await sign(claims({ nbf: now + 360 })), /nbf/i);
    await refused(await sign(claims(), {}, { iat: now + 3600, exp: now + 7200 }));
    const ok = await authenticator.verify(await sign(claims(), {}, { iat: now - 3600, exp: now - 200 }));
    assert.equal(ok.principal?.kind, 'user', 'within the 5-minute skew');
  });

  it('T14: hostile key headers are refused without any fetch; unknown keys are refused', async () => {
    await refused(await sign(claims(), { jku: 'https://attacker.test/jwks' }), /header_not_allowed/);
    await refused(await sign(claims(), { x5u: 'https://attacker.test/cert' }), /header_not_allowed/);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const attackerJwk = publicKey.export({ format: 'jwk' }) as JWK;
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', jwk: attackerJwk })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    await refused(forged, /header_not_allowed/);
    const unknownKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: randomUUID() })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    await refused(unknownKid);
  });

  it('T14: a hundred unknown kids cause at most one key reload', async () => {
    const providers = new TenantProviders({
      database,
      config: loadConfig({}, '/tmp'),
      directory: { reader: createDirectoryReader(database) } as OidcDirectory,
      keys,
      cookieKeys: ['k'],
      origin: () => ORIGIN,
      logger: testLogger(),
    });
    const probe = new TokenAuthenticator({
      providers,
      reader: createDirectoryReader(database),
      database,
      origin: () => ORIGIN,
      audit: { record: () => Promise.resolve() },
      appExists: () => Promise.resolve(true),
    });
    await probe.verify(await sign(claims()));
    const before = providers.reloads;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (let i = 0; i < 100; i++) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: randomUUID() })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      assert.equal((await probe.verify(token)).principal, undefined);
    }
    assert.ok(providers.reloads - before <= 1, `reloaded ${providers.reloads - before} times`);
  });

  it('T18: a disabled user and a token issued before revocation are refused', async () => {
    const token = await sign(claims());
    await database.db
      .updateTable('users')
      .set({ sessions_valid_after: Date.now() + 2000 })
      .where('id', '=', userId)
      .execute();
    authenticator.forgetUser(tenantId, userId);
    await refused(token, /token_revoked/);
    await database.db
      .updateTable('users')
      .set({ sessions_valid_after: 0, account_enabled: 0 })
      .where('id', '=', userId)
      .execute();
    authenticator.forgetUser(tenantId, userId);
    await refused(await sign(claims()), /user_disabled/);
    await database.db.updateTable('users').set({ account_enabled: 1 }).where('id', '=', userId).execute();
    authenticator.forgetUser(tenantId, userId);
  });
  it('T14: after rotation, tokens of the old key verify until it expires and new-key tokens verify', async () => {
    const before = await keys.load();
    const oldToken = await sign(claims());
    await keys.rotateNow();
    // The authenticator rechecks keys on its schedule; a fresh authenticator sees the rotation now.
    const set = await keys.load();
    assert.notEqual(set.signing.kid, before.signing.kid);
    const newToken = await sign(claims());
    const fresh = new TokenAuthenticator({
      providers: new TenantProviders({
        database,
        config: loadConfig({}, '/tmp'),
        directory: { reader: createDirectoryReader(database) } as OidcDirectory,
        keys,
        cookieKeys: ['k'],
        origin: () => ORIGIN,
        logger: testLogger(),
      }),
      reader: createDirectoryReader(database),
      database,
      origin: () => ORIGIN,
      audit: { record: () => Promise.resolve() },
      appExists: () => Promise.resolve(true),
    });
    assert.equal((await fresh.verify(oldToken)).principal?.kind, 'user');
    assert.equal((await fresh.verify(newToken)).principal?.kind, 'user');
  });
});
