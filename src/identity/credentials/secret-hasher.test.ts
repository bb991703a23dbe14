import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretHasher, DEFAULT_SCRYPT } from './secret-hasher.ts';

describe('secret hasher', () => {
  const hasher = createSecretHasher();

  it('hashes into a self-describing scrypt string with the default parameters', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    const parts = stored.split('$');
    assert.equal(parts.length, 6);
    assert.deepEqual(parts.slice(0, 4), ['scrypt', String(2 ** 15), '8', '1']);
    assert.equal(Buffer.from(parts[4] ?? '', 'base64url').length, 16);
    assert.equal(Buffer.from(parts[5] ?? '', 'base64url').length, 32);
    assert.ok(!stored.includes('correct horse'));
  });

  it('salts every hash', async () => {
    const a = await hasher.hash('same secret value');
    const b = await hasher.hash('same secret value');
    assert.notEqual(a, b);
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const stored = await hasher.hash('s3cret-Passw0rd!');
    assert.equal(await hasher.verify(stored, 's3cret-Passw0rd!'), true);
    assert.equal(await hasher.verify(stored, 's3cret-Passw0rd'), false);
    assert.equal(await hasher.verify(stored, ''), false);
  });

  it('treats NFC and NFD spellings of a secret as the same', async () => {
    const stored = await hasher.hash('caf\u00e9-password-1');
    assert.equal(await hasher.verify(stored, 'cafe\u0301-password-1'), true);
  });

  it('verifies hashes made with other parameters, and says they need rehashing', async () => {
    const cheap = createSecretHasher({ N: 2 ** 10, r: 8, p: 1 });
    const stored = await cheap.hash('old parameters');
    assert.ok(stored.startsWith('scrypt$1024$8$1$'));
    assert.equal(await hasher.verify(stored, 'old parameters'), true);
    assert.equal(hasher.needsRehash(stored), true);
    assert.equal(hasher.needsRehash(await hasher.hash('x')), false);
    assert.equal(DEFAULT_SCRYPT.N, 32768);
  });

  it('returns false for malformed or hostile stored values', async () => {
    const good = await hasher.hash('secret');
    const [, , r, p, salt, hash] = good.split('$');
    const bad = [
      '',
      'plain-text',
      `bcrypt$32768$${r}$${p}$${salt}$${hash}`,
      `scrypt$1000$${r}$${p}$${salt}$${hash}`,
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${hash}`,
      `scrypt$32768$0$${p}$${salt}$${hash}`,
      `scrypt$32768$${r}$${p}$${salt}$${hash}AA`,
      `scrypt$32768$${r}$${p}$!!!$${hash}`,
      `${good}$extra`,
    ];
    for (const stored of bad) assert.equal(await hasher.verify(stored, 'secret'), false, stored);
  });

  it('dummyVerify completes without revealing anything and takes comparable time', async () => {
    const stored = await hasher.hash('real user password');
    const t0 = performance.now();
    await hasher.verify(stored, 'wrong guess');
    const real = performance.now() - t0;
    const t1 = performance.now();
    const result = await hasher.dummyVerify('wrong guess');
    const dummy = performance.now() - t1;
    assert.equal(result, undefined);
    // Both run one scrypt with the same cost; a dummy that skipped the work would take ~0 ms.
    assert.ok(dummy > real / 4, `dummy ${dummy.toFixed(1)} ms vs real ${real.toFixed(1)} ms`);
  });

  it('refuses to hash an oversize secret', async () => {
    await assert.rejects(hasher.hash('x'.repeat(5000)), RangeError);
    const stored = await hasher.hash('short');
    assert.equal(await hasher.verify(stored, 'x'.repeat(5000)), false);
  });
});
