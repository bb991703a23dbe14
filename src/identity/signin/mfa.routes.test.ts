import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../../test/harness/server.ts';
import {
  principalHeader,
  principalHeaderAuthenticator,
} from '../../../test/fixtures/principal-header-authenticator.ts';
import { createDirectoryReader } from '../../directory/directory.reader.ts';
import { loadInstallationSecret } from '../../platform/crypto/installation-secret.ts';
import { registerSignIn } from './signin.module.ts';
import { recordingAudit } from '../../../test/factories/directory.ts';
import { awayFromStepEdge, codeAt, createAccount, directoryCredentials } from './test-support.ts';

const BASE = '/api/v1/me/authentication';

interface ErrorBody {
  error: { code: string };
}

describe('self-service MFA routes', () => {
  let server: TestServer;
  const audit = recordingAudit();

  before(async () => {
    server = await startTestServer({
      authenticator: principalHeaderAuthenticator,
      // The sign-in module alone, with a small throttle and a recording audit log.
      domainModules: false,
      registerRoutes: async (app, platform) => {
        await registerSignIn(app, platform, {
          credentials: directoryCredentials(platform.database),
          reader: createDirectoryReader(platform.database),
          audit,
          secret: await loadInstallationSecret(platform.config.secretKey, platform.config.dataDir),
          throttle: { freeAttempts: 2, windowSec: 60, baseLockSec: 60, maxLockSec: 60 },
        });
      },
    });
  });
  after(async () => {
    await server.close();
  });

  const newUser = async () => {
    const account = await createAccount(server.platform.database);
    return { ...account, as: principalHeader('user', account.tenantId, account.id) };
  };

  const call = (path: string, headers: Record<string, string>, method = 'GET', body?: unknown) => {
    if (body === undefined) return server.fetch(`${BASE}${path}`, { method, headers });
    const text = JSON.stringify(body);
    // Node's client frames a DELETE body only with an explicit Content-Length.
    const framing = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
    return server.fetch(`${BASE}${path}`, { method, headers: { ...headers, ...framing }, body: text });
  };

  /** Enrols TOTP through the routes; returns the secret and the recovery codes. */
  const enrol = async (as: Record<string, string>) => {
    const begin = await call('/totp/begin', as, 'POST');
    assert.equal(begin.status, 200);
    const { secret } = begin.json<{ secret: string }>();
    await awayFromStepEdge();
    const confirm = await call('/totp/confirm', as, 'POST', { code: codeAt(secret, -1) });
    assert.equal(confirm.status, 200, confirm.text);
    return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
  };

  it('needs a signed-in user: 401 without credentials, 403 for an app', async () => {
    const u = await newUser();
    assert.equal((await call('/methods', {})).status, 401);
    const asApp = await call('/methods', principalHeader('app', u.tenantId, u.id));
    assert.equal(asApp.status, 403);
    assert.equal(asApp.json<ErrorBody>().error.code, 'forbidden');
  });

  it('enrols TOTP: begin, a wrong code, the right code, recovery codes once, then methods', async () => {
    const u = await newUser();
    const empty = await call('/methods', u.as);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json(), {
      totp: { enrolled: false, pending: false, confirmedAt: null },
      recoveryCodesRemaining: 0,
    });

    const begin = await call('/totp/begin', u.as, 'POST');
    assert.equal(begin.status, 200);
    assert.equal(begin.headers['cache-control'], 'no-store');
    const enrolment = begin.json<{ secret: string; otpauthUri: string; qrSvg: string }>();
    assert.deepEqual(Object.keys(enrolment).sort(), ['otpauthUri', 'qrSvg', 'secret']);
    assert.ok(enrolment.otpauthUri.includes(encodeURIComponent(u.upn)), 'the account name is the UPN');
    assert.doesNotMatch(enrolment.qrSvg, /<script/i);
    assert.equal((await call('/methods', u.as)).json<{ totp: { pending: boolean } }>().totp.pending, true);

    await awayFromStepEdge();
    const right = codeAt(enrolment.secret);
    const wrong = right === '123456' ? '654321' : '123456';
    const refused = await call('/totp/confirm', u.as, 'POST', { code: wrong });
    assert.equal(refused.status, 400);
    assert.equal(refused.json<ErrorBody>().error.code, 'invalid_code');

    const confirmed = await call('/totp/confirm', u.as, 'POST', { code: right });
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.headers['cache-control'], 'no-store');
    const { recoveryCodes } = confirmed.json<{ recoveryCodes: string[] }>();
    assert.equal(recoveryCodes.length, 10);

    const methods = await call('/methods', u.as);
    const body = methods.json<{
      totp: { enrolled: boolean; confirmedAt: string };
      recoveryCodesRemaining: number;
    }>();
    assert.equal(body.totp.enrolled, true);
    assert.ok(!Number.isNaN(Date.parse(body.totp.confirmedAt)));
    assert.equal(body.recoveryCodesRemaining, 10);

    // Confirming again does not hand out codes; starting over while enrolled is a conflict.
    assert.equal(
      (await call('/totp/confirm', u.as, 'POST', { code: codeAt(enrolment.secret, 1) })).status,
      400,
    );
    const again = await call('/totp/begin', u.as, 'POST');
    assert.equal(again.status, 409);
    assert.equal(again.json<ErrorBody>().error.code, 'conflict');
  });

  it('refuses malformed bodies with 400 before anything runs', async () => {
    const u = await newUser();
    const bodies: [string, string, unknown][] = [
      ['/totp/confirm', 'POST', { code: '12345' }],
      ['/totp/confirm', 'POST', { code: '1234567' }],
      ['/totp/confirm', 'POST', { code: 'abcd-efgh-jkmn' }],
      ['/totp/confirm', 'POST', { code: '123456', extra: true }],
      ['/totp/confirm', 'POST', {}],
      ['/recovery-codes', 'POST', { code: 'abcd-efgh' }],
      ['/recovery-codes', 'POST', { code: '<script>' }],
      ['/totp', 'DELETE', { code: 'x'.repeat(5000) }],
      ['/totp', 'DELETE', { code: { value: '123456' } }],
    ];
    for (const [path, method, body] of bodies) {
      const response = await call(path, u.as, method, body);
      assert.equal(response.status, 400, `${method} ${path} ${JSON.stringify(body).slice(0, 40)}`);
    }
    const audited = audit.entries.filter((e) => e.actor.id === u.id);
    assert.deepEqual(audited, [], 'nothing reached the service');
  });

  it('new recovery codes and removal need a current code', async () => {
    const u = await newUser();
    const { secret, recoveryCodes } = await enrol(u.as);

    const wrong = await call('/recovery-codes', u.as, 'POST', {
      code: '000000' === codeAt(secret) ? '000001' : '000000',
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json<ErrorBody>().error.code, 'invalid_code');

    const fresh = await call('/recovery-codes', u.as, 'POST', { code: codeAt(secret) });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers['cache-control'], 'no-store');
    const newCodes = fresh.json<{ recoveryCodes: string[] }>().recoveryCodes;
    assert.equal(newCodes.length, 10);
    assert.notDeepEqual(newCodes, recoveryCodes);

    // An old recovery code no longer proves anything; a new one (upper case is fine) removes TOTP.
    assert.equal((await call('/totp', u.as, 'DELETE', { code: recoveryCodes[0] })).status, 400);
    const removed = await call('/totp', u.as, 'DELETE', { code: (newCodes[0] ?? '').toUpperCase() });
    assert.equal(removed.status, 204, removed.text);
    assert.deepEqual((await call('/methods', u.as)).json(), {
      totp: { enrolled: false, pending: false, confirmedAt: null },
      recoveryCodesRemaining: 0,
    });
    const gone = await call('/totp', u.as, 'DELETE', { code: codeAt(secret) });
    assert.equal(gone.status, 409);

    const actions = audit.entries.filter((e) => e.actor.id === u.id).map((e) => `${e.action}:${e.outcome}`);
    assert.deepEqual(actions, [
      'mfa.enrolled:success',
      'mfa.recovery_codes_regenerated:failure',
      'mfa.recovery_codes_regenerated:success',
      'mfa.removed:failure',
      'mfa.recovery_code_used:success',
      'mfa.removed:success',
    ]);
  });

  it('guessing the code for removal is throttled with 429 and Retry-After', async () => {
    const u = await newUser();
    const { secret } = await enrol(u.as);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call('/totp', u.as, 'DELETE', { code: '999999' })).status);
    assert.deepEqual(statuses, [400, 400, 429]);
    const locked = await call('/totp', u.as, 'DELETE', { code: codeAt(secret) });
    assert.equal(locked.status, 429);
    assert.equal(locked.json<ErrorBody>().error.code, 'signin_throttled');
    assert.equal(locked.headers['retry-after'], '60');
    assert.equal((await call('/methods', u.as)).json<{ totp: { enrolled: boolean } }>().totp.enrolled, true);
  });
});
