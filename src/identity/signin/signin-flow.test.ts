import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, testLogger } from '../../../test/harness/engines.ts';
import type { Database } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import type { SignInPolicy } from '../../directory/directory.types.ts';
import { awayFromStepEdge, codeAt, createAccount, signInRig, type SignInRig } from './test-support.ts';

const PASSWORD = 'correct horse battery staple';
const GENEROUS = { points: 1000, durationSec: 60 };
const IP = '203.0.113.10';

forEachEngine('sign-in flow', (ctx) => {
  let database: Database;
  let rig: SignInRig;
  before(async () => {
    database = await ctx.open();
    await migrateToLatest(database, testLogger());
    rig = await signInRig(database, {
      freeAttempts: 3,
      windowSec: 60,
      baseLockSec: 60,
      maxLockSec: 60,
      ip: GENEROUS,
      subnet: GENEROUS,
    });
  });

  const account = (options: { policy?: SignInPolicy; enabled?: boolean; password?: string | null } = {}) =>
    createAccount(database, {
      ...options,
      password: options.password === undefined ? PASSWORD : options.password,
    });

  /** An account with a confirmed authenticator; returns its secret and recovery codes. */
  const withTotp = async (policy?: SignInPolicy) => {
    const a = await account(policy === undefined ? {} : { policy });
    const { secret } = await rig.flow.beginTotpEnrolment(a.id, a.upn);
    await awayFromStepEdge();
    const codes = await rig.flow.confirmTotpEnrolment(a.id, codeAt(secret, -1), IP);
    assert.ok(codes);
    return { ...a, secret, codes };
  };

  it('signs in with the right password and audits the success without secrets', async () => {
    const a = await account();
    const before = rig.audit.entries.length;
    const result = await rig.flow.verifyPassword({
      upn: ` ${a.upn.toUpperCase()} `,
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(result.kind === 'ok', 'signed in');
    assert.equal(result.userId, a.id);
    assert.equal(result.user.id, a.id);
    assert.equal(result.tenantId, a.tenantId);
    assert.equal(result.tenant.id, a.tenantId);
    assert.equal(result.mfa, 'none');
    assert.deepEqual(result.amr, ['pwd']);
    const entries = rig.audit.entries.slice(before);
    assert.deepEqual(entries, [
      {
        tenantId: a.tenantId,
        actor: { type: 'user', id: a.id },
        sourceIp: IP,
        action: 'signin.password',
        target: { type: 'user', id: a.id },
        outcome: 'success',
        details: { mfa: 'none' },
      },
    ]);
  });

  it('unknown user, wrong password, disabled account, no password and another tenant: one answer, one scrypt each', async () => {
    const a = await account();
    const disabled = await account({ enabled: false });
    const noPassword = await account({ password: null });
    const other = await account();
    const attempts = [
      { upn: 'nobody-here@contoso.test', password: PASSWORD },
      { upn: a.upn, password: 'wrong password' },
      { upn: disabled.upn, password: PASSWORD },
      { upn: noPassword.upn, password: PASSWORD },
      { upn: other.upn, password: PASSWORD, tenantId: a.tenantId },
    ];
    const before = rig.audit.entries.length;
    for (const attempt of attempts) {
      const spent = rig.hasher.verifications();
      const result = await rig.flow.verifyPassword({ ...attempt, ip: IP });
      assert.deepEqual(result, { kind: 'failed', code: 'invalid_credentials' }, attempt.upn);
      assert.equal(rig.hasher.verifications() - spent, 1, `one scrypt verification for ${attempt.upn}`);
    }
    const entries = rig.audit.entries.slice(before);
    assert.deepEqual(
      entries.map((e) => [e.action, e.outcome, e.actor.type, e.reason]),
      [
        ['signin.password', 'failure', 'anonymous', 'invalid_credentials'],
        ['signin.password', 'failure', 'user', 'invalid_credentials'],
        ['signin.password', 'failure', 'user', 'account_disabled'],
        ['signin.password', 'failure', 'user', 'invalid_credentials'],
        ['signin.password', 'failure', 'user', 'wrong_tenant'],
      ],
    );
    const text = JSON.stringify(entries);
    assert.ok(!text.includes('nobody-here'), 'the unknown user name is not audited');
    assert.ok(!text.includes(PASSWORD) && !text.includes('wrong password'), 'passwords are never audited');
    // At the right tenant's authority the same account signs in.
    const ok = await rig.flow.verifyPassword({
      upn: a.upn,
      password: PASSWORD,
      tenantId: a.tenantId,
      ip: IP,
    });
    assert.equal(ok.kind, 'ok');
  });

  it('throttles existing and unknown accounts alike, even a right password while locked', async () => {
    const a = await account();
    const results = [];
    for (const upn of [a.upn, 'ghost@contoso.test']) {
      for (let i = 0; i < 3; i++) await rig.flow.verifyPassword({ upn, password: 'nope', ip: IP });
      results.push(await rig.flow.verifyPassword({ upn, password: PASSWORD, ip: IP }));
    }
    assert.deepEqual(results[0], results[1]);
    assert.deepEqual(results[0], { kind: 'failed', code: 'signin_throttled', retryAfterSec: 60 });
    const throttled = rig.audit.entries.filter((e) => e.action === 'signin.throttled');
    assert.ok(throttled.length >= 2);
    for (const e of throttled) assert.equal(e.actor.type, 'anonymous');
  });

  it('network policy: allowed ranges in IPv4 and IPv6, mapped addresses, refusal only after the password', async () => {
    const policy = { requireMfa: false, allowedNetworks: ['10.0.0.0/8', '2001:db8::/32'] };
    const a = await account({ policy });
    const attempt = (upn: string, ip: string, password = PASSWORD) =>
      rig.flow.verifyPassword({ upn, password, ip });
    for (const ip of ['10.1.2.3', '::ffff:10.1.2.3', '2001:db8:ffff::5', '2001:DB8::1'])
      assert.equal((await attempt(a.upn, ip)).kind, 'ok', ip);
    for (const ip of ['192.0.2.1', '::ffff:192.0.2.1', '2001:db9::1', '11.0.0.1', 'not-an-address']) {
      const b = await account({ policy });
      assert.deepEqual(await attempt(b.upn, ip), { kind: 'failed', code: 'network_not_allowed' }, ip);
    }
    const refusal = rig.audit.entries.findLast((e) => e.reason === 'network_not_allowed');
    assert.equal(refusal?.actor.type, 'user');
    // A wrong password from outside says nothing about the policy.
    assert.deepEqual(await attempt(a.upn, '192.0.2.1', 'wrong'), {
      kind: 'failed',
      code: 'invalid_credentials',
    });
    // Refusals count as failures: a known password does not buy unlimited tries from outside.
    const c = await account({ policy });
    for (let i = 0; i < 3; i++) assert.equal((await attempt(c.upn, '192.0.2.1')).kind, 'failed');
    assert.deepEqual(await attempt(c.upn, '10.0.0.1'), {
      kind: 'failed',
      code: 'signin_throttled',
      retryAfterSec: 60,
    });
    // An empty list allows everywhere.
    const open = await account();
    assert.equal((await attempt(open.upn, '192.0.2.1')).kind, 'ok');
  });

  it('MFA is required when the user has TOTP, and enrolment when the tenant requires it', async () => {
    const enrolled = await withTotp();
    const first = await rig.flow.verifyPassword({ upn: enrolled.upn, password: PASSWORD, ip: IP });
    assert.equal(first.kind === 'ok' && first.mfa, 'required');

    const strict = await account({ policy: { requireMfa: true, allowedNetworks: [] } });
    const second = await rig.flow.verifyPassword({ upn: strict.upn, password: PASSWORD, ip: IP });
    assert.equal(second.kind === 'ok' && second.mfa, 'enrolment_required');
    const { secret } = await rig.flow.beginTotpEnrolment(strict.id, strict.upn);
    await awayFromStepEdge();
    assert.equal(await rig.flow.confirmTotpEnrolment(strict.id, '000000x'), undefined);
    const codes = await rig.flow.confirmTotpEnrolment(strict.id, codeAt(secret), IP);
    assert.equal(codes?.length, 10);
    const enrolledEntries = rig.audit.entries.filter(
      (e) => e.action === 'mfa.enrolled' && e.actor.id === strict.id,
    );
    assert.deepEqual(
      enrolledEntries.map((e) => [e.outcome, e.tenantId]),
      [
        ['failure', strict.tenantId],
        ['success', strict.tenantId],
      ],
    );
    const third = await rig.flow.verifyPassword({ upn: strict.upn, password: PASSWORD, ip: IP });
    assert.equal(third.kind === 'ok' && third.mfa, 'required');
  });

  it('second factor: a TOTP code once, a recovery code once, audited without the codes', async () => {
    const a = await withTotp();
    const code = codeAt(a.secret);
    assert.deepEqual(await rig.flow.verifySecondFactor({ userId: a.id, code, ip: IP }), {
      kind: 'ok',
      method: 'totp',
      amr: ['pwd', 'mfa', 'otp'],
    });
    assert.deepEqual(await rig.flow.verifySecondFactor({ userId: a.id, code, ip: IP }), {
      kind: 'failed',
      code: 'invalid_code',
    });
    const recovery = a.codes[3] ?? '';
    assert.deepEqual(await rig.flow.verifySecondFactor({ userId: a.id, code: recovery, ip: IP }), {
      kind: 'ok',
      method: 'recovery_code',
      amr: ['pwd', 'mfa', 'otp'],
    });
    assert.equal(
      (await rig.flow.verifySecondFactor({ userId: a.id, code: recovery, ip: IP })).kind,
      'failed',
    );
    const mine = rig.audit.entries.filter((e) => e.actor.id === a.id);
    assert.deepEqual(
      mine.filter((e) => e.action !== 'mfa.enrolled').map((e) => [e.action, e.outcome, e.tenantId]),
      [
        ['signin.mfa', 'success', a.tenantId],
        ['signin.mfa', 'failure', a.tenantId],
        ['mfa.recovery_code_used', 'success', a.tenantId],
        ['signin.mfa', 'success', a.tenantId],
        ['signin.mfa', 'failure', a.tenantId],
      ],
    );
    assert.deepEqual(mine.find((e) => e.action === 'mfa.recovery_code_used')?.details, { remaining: 9 });
    const text = JSON.stringify(mine);
    assert.ok(!text.includes(code) && !text.includes(recovery) && !text.includes(a.secret));
  });

  it('second factor guessing is throttled per account, then even the right code waits', async () => {
    const a = await withTotp();
    for (let i = 0; i < 3; i++) await rig.flow.verifySecondFactor({ userId: a.id, code: '999999', ip: IP });
    const result = await rig.flow.verifySecondFactor({ userId: a.id, code: codeAt(a.secret), ip: IP });
    assert.deepEqual(result, { kind: 'failed', code: 'signin_throttled', retryAfterSec: 60 });
    const throttled = rig.audit.entries.findLast((e) => e.action === 'signin.throttled');
    assert.equal(throttled?.actor.id, a.id);
    assert.equal(throttled.details?.step, 'signin.mfa');
  });

  it('removing TOTP and new recovery codes need a current code', async () => {
    const a = await withTotp();
    assert.deepEqual(await rig.flow.regenerateRecoveryCodes({ userId: a.id, code: '123456', ip: IP }), {
      kind: 'failed',
      code: 'invalid_code',
    });
    const fresh = await rig.flow.regenerateRecoveryCodes({ userId: a.id, code: codeAt(a.secret), ip: IP });
    assert.ok(fresh.kind === 'ok');
    assert.equal(fresh.value.length, 10);
    assert.equal((await rig.flow.authenticationMethods(a.id)).recoveryCodesRemaining, 10);
    // A recovery code proves possession too (the authenticator may be the thing that was lost).
    assert.deepEqual(await rig.flow.removeTotp({ userId: a.id, code: fresh.value[0] ?? '', ip: IP }), {
      kind: 'ok',
      value: null,
    });
    assert.deepEqual(await rig.flow.authenticationMethods(a.id), {
      totpEnrolled: false,
      totpConfirmedAt: null,
      totpPending: false,
      recoveryCodesRemaining: 0,
    });
    await assert.rejects(rig.flow.removeTotp({ userId: a.id, code: '123456', ip: IP }), { code: 'conflict' });
    const actions = rig.audit.entries
      .filter((e) => e.actor.id === a.id && e.action.startsWith('mfa.'))
      .map((e) => [e.action, e.outcome]);
    assert.deepEqual(actions, [
      ['mfa.enrolled', 'success'],
      ['mfa.recovery_codes_regenerated', 'failure'],
      ['mfa.recovery_codes_regenerated', 'success'],
      ['mfa.recovery_code_used', 'success'],
      ['mfa.removed', 'success'],
    ]);
  });
});
