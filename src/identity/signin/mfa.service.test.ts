import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { forEachEngine, testLogger } from '../../../test/harness/engines.ts';
import { createSealer } from '../../platform/crypto/sealer.ts';
import type { Database } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { createMfaService, type MfaService } from './mfa.service.ts';
import { RECOVERY_CODE_PATTERN } from './recovery-codes.ts';
import { awayFromStepEdge, codeAt, createAccount } from './test-support.ts';
import { totpStep } from './totp.ts';

forEachEngine('MFA service', (ctx) => {
  let database: Database;
  let mfa: MfaService;
  before(async () => {
    database = await ctx.open();
    await migrateToLatest(database, testLogger());
    mfa = createMfaService({
      database,
      sealer: createSealer(randomBytes(32)),
      recoveryCodeKey: randomBytes(32),
    });
  });

  const newUser = async () => (await createAccount(database)).id;

  /** A user with a confirmed authenticator; returns the secret and the recovery codes. */
  const enrolled = async () => {
    const userId = await newUser();
    const { secret } = await mfa.beginEnrolment(userId, 'Parley', 'alice@contoso.test');
    await awayFromStepEdge();
    // Confirm with the previous step's code, so the current and next steps are still unused.
    const codes = await mfa.confirmEnrolment(userId, codeAt(secret, -1));
    assert.ok(codes !== undefined, 'enrolment confirmed');
    return { userId, secret, codes };
  };

  it('enrolment returns a base32 secret, an otpauth URI and a script-free SVG QR code', async () => {
    const userId = await newUser();
    const e = await mfa.beginEnrolment(userId, 'Parley', 'alice@contoso.test');
    assert.match(e.secret, /^[A-Z2-7]{32}$/, '20 random bytes in base32');
    const uri = new URL(e.otpauthUri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('secret'), e.secret);
    assert.equal(uri.searchParams.get('issuer'), 'Parley');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.match(e.qrSvg, /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    assert.doesNotMatch(e.qrSvg, /<script|\son\w+=|href=|<foreignObject/i);
    const methods = await mfa.methods(userId);
    assert.deepEqual(methods, {
      totpEnrolled: false,
      totpConfirmedAt: null,
      totpPending: true,
      recoveryCodesRemaining: 0,
    });
  });

  it('the secret is sealed at rest for its user only', async () => {
    const userId = await newUser();
    const { secret } = await mfa.beginEnrolment(userId, 'Parley', 'a@b.test');
    const row = await database.db
      .selectFrom('user_mfa')
      .select('totp_secret_sealed')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const sealed = row.totp_secret_sealed ?? '';
    assert.ok(sealed.startsWith('v1.'));
    assert.ok(!sealed.includes(secret));
    // The same sealed value moved to another user's row does not open: confirmation fails.
    const other = await newUser();
    await mfa.beginEnrolment(other, 'Parley', 'b@b.test');
    await database.db
      .updateTable('user_mfa')
      .set({ totp_secret_sealed: sealed })
      .where('user_id', '=', other)
      .execute();
    await assert.rejects(mfa.confirmEnrolment(other, codeAt(secret)));
  });

  it('a wrong code does not confirm; the right one does and returns ten recovery codes', async () => {
    const userId = await newUser();
    const { secret } = await mfa.beginEnrolment(userId, 'Parley', 'a@b.test');
    await awayFromStepEdge();
    const right = codeAt(secret);
    const wrong = right === '000000' ? '000001' : '000000';
    assert.equal(await mfa.confirmEnrolment(userId, wrong), undefined);
    assert.equal(await mfa.confirmEnrolment(userId, 'abcdef'), undefined);
    const codes = await mfa.confirmEnrolment(userId, right);
    assert.ok(codes);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, new RegExp(RECOVERY_CODE_PATTERN));
    const methods = await mfa.methods(userId);
    assert.equal(methods.totpEnrolled, true);
    assert.equal(methods.recoveryCodesRemaining, 10);
    // Only hashes are stored.
    const stored = await database.db
      .selectFrom('user_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', userId)
      .execute();
    assert.equal(stored.length, 10);
    for (const { code_hash } of stored) assert.ok(!codes.includes(code_hash));
    // Confirming again, or starting over while enrolled, is refused.
    assert.equal(await mfa.confirmEnrolment(userId, codeAt(secret, 1)), undefined);
    await assert.rejects(mfa.beginEnrolment(userId, 'Parley', 'a@b.test'), (err: unknown) => {
      return err instanceof AppError && err.code === 'conflict';
    });
  });

  it('a valid code is accepted once; the same code again, an older step and a wrong code are refused', async () => {
    const { userId, secret } = await enrolled();
    const now = codeAt(secret);
    assert.deepEqual(await mfa.verify(userId, now), { ok: true, method: 'totp' });
    assert.deepEqual(await mfa.verify(userId, now), { ok: false }, 'replayed code');
    // The enrolment code's step (-1) is older than the last accepted step.
    assert.deepEqual(await mfa.verify(userId, codeAt(secret, -1)), { ok: false }, 'older step');
    const wrong = String((Number(codeAt(secret, 1)) + 1) % 1_000_000).padStart(6, '0');
    assert.deepEqual(await mfa.verify(userId, wrong), { ok: false }, 'wrong code');
    // The next step (clock drift allowance) is still newer, so it is accepted, once.
    assert.deepEqual(await mfa.verify(userId, codeAt(secret, 1)), { ok: true, method: 'totp' });
    assert.deepEqual(await mfa.verify(userId, codeAt(secret, 1)), { ok: false });
    const row = await database.db
      .selectFrom('user_mfa')
      .select('totp_last_step')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(row.totp_last_step, totpStep(Date.now()) + 1);
  });

  it('codes outside the one-step window are refused', async () => {
    const { userId, secret } = await enrolled();
    assert.deepEqual(await mfa.verify(userId, codeAt(secret, 2)), { ok: false }, 'two steps ahead');
    assert.deepEqual(await mfa.verify(userId, codeAt(secret, -3)), { ok: false }, 'far in the past');
    assert.deepEqual(await mfa.verify(userId, ''), { ok: false });
    assert.deepEqual(await mfa.verify(userId, '12345'), { ok: false });
  });

  it('two requests racing with one code: exactly one wins', async () => {
    const { userId, secret } = await enrolled();
    const code = codeAt(secret);
    const results = await Promise.all(Array.from({ length: 8 }, () => mfa.verify(userId, code)));
    assert.equal(results.filter((r) => r.ok).length, 1);
  });

  it('recovery codes are single use and accepted in any case and spacing', async () => {
    const { userId, codes } = await enrolled();
    const [first, second] = codes as [string, string, ...string[]];
    assert.deepEqual(await mfa.verify(userId, first), { ok: true, method: 'recovery_code' });
    assert.deepEqual(await mfa.verify(userId, first), { ok: false }, 'used twice');
    assert.deepEqual(await mfa.verify(userId, ` ${second.toUpperCase().replace(/-/g, ' ')} `), {
      ok: true,
      method: 'recovery_code',
    });
    assert.deepEqual(await mfa.verify(userId, 'aaaa-bbbb-cccc'), { ok: false });
    assert.equal((await mfa.methods(userId)).recoveryCodesRemaining, 8);
    // Another user's code is not this user's code.
    const other = await enrolled();
    assert.deepEqual(await mfa.verify(userId, other.codes[0] ?? ''), { ok: false });
  });

  it('regenerating replaces every recovery code', async () => {
    const { userId, codes } = await enrolled();
    const fresh = await mfa.regenerateRecoveryCodes(userId);
    assert.equal(fresh.length, 10);
    assert.deepEqual(await mfa.verify(userId, codes[0] ?? ''), { ok: false }, 'old codes are gone');
    assert.deepEqual(await mfa.verify(userId, fresh[0] ?? ''), { ok: true, method: 'recovery_code' });
    await assert.rejects(mfa.regenerateRecoveryCodes(await newUser()), (err: unknown) => {
      return err instanceof AppError && err.code === 'conflict';
    });
  });

  it('removing MFA deletes the authenticator and the recovery codes', async () => {
    const { userId, secret, codes } = await enrolled();
    assert.equal(await mfa.removeMfa(userId), true);
    assert.equal(await mfa.hasConfirmedTotp(userId), false);
    assert.deepEqual(await mfa.verify(userId, codeAt(secret)), { ok: false });
    assert.deepEqual(await mfa.verify(userId, codes[1] ?? ''), { ok: false });
    assert.deepEqual(await mfa.methods(userId), {
      totpEnrolled: false,
      totpConfirmedAt: null,
      totpPending: false,
      recoveryCodesRemaining: 0,
    });
    assert.equal(await mfa.removeMfa(userId), false);
  });

  it('a pending enrolment does not count as a second factor', async () => {
    const userId = await newUser();
    const { secret } = await mfa.beginEnrolment(userId, 'Parley', 'a@b.test');
    assert.equal(await mfa.hasConfirmedTotp(userId), false);
    assert.deepEqual(await mfa.verify(userId, codeAt(secret)), { ok: false });
  });
});
