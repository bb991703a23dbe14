import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSealer } from './sealer.ts';
import { loadInstallationSecret } from './installation-secret.ts';

describe('sealer', () => {
  const sealer = createSealer(randomBytes(32));

  it('opens what it sealed for the same context', () => {
    const sealed = sealer.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
    assert.doesNotMatch(sealed, /JBSWY3DPEHPK3PXP/);
    assert.equal(sealer.open(sealed, 'totp:u1'), 'JBSWY3DPEHPK3PXP');
  });

  it('refuses another context, another key and a flipped bit', () => {
    const sealed = sealer.seal('secret', 'totp:u1');
    assert.throws(() => sealer.open(sealed, 'totp:u2'));
    assert.throws(() => createSealer(randomBytes(32)).open(sealed, 'totp:u1'));
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[2] = body.toString('base64url');
    assert.throws(() => sealer.open(parts.join('.'), 'totp:u1'));
    assert.throws(() => sealer.open('garbage', 'totp:u1'));
  });
});

describe('installation secret', () => {
  it('is created once with mode 0600 and derives stable, purpose-bound keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-secret-'));
    const first = await loadInstallationSecret(undefined, dir);
    const again = await loadInstallationSecret(undefined, dir);
    assert.deepEqual(first.derive('seal'), again.derive('seal'));
    assert.notDeepEqual(first.derive('seal'), first.derive('cookies'));
    assert.equal((await stat(join(dir, 'secret.key'))).mode & 0o777, 0o600);
  });

  it('uses PARLEY_SECRET_KEY when set and refuses a short one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-secret-'));
    const key = randomBytes(32).toString('base64');
    const a = await loadInstallationSecret(key, dir);
    const b = await loadInstallationSecret(key, join(dir, 'other'));
    assert.deepEqual(a.derive('x'), b.derive('x'));
    await assert.rejects(loadInstallationSecret(randomBytes(8).toString('base64'), dir));
  });
});
