import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { forEachEngine } from '../../../test/harness/engines.ts';
import { createSealer } from '../../platform/crypto/sealer.ts';
import type { Database } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import { testLogger } from '../../../test/harness/engines.ts';
import { PRE_PUBLICATION_MS, SigningKeyStore } from './signing-keys.ts';

const DAY = 86_400_000;

forEachEngine('signing keys', (ctx) => {
  let database: Database;
  before(async () => {
    database = await ctx.open();
    await migrateToLatest(database, testLogger());
  });
  const store = () =>
    new SigningKeyStore(database, createSealer(randomBytes(32)), {
      purpose: `tokens-${randomBytes(4).toString('hex')}`,
      rotationMs: 30 * DAY,
      tokenLifetimeMs: 14 * DAY,
    });

  it('creates one active key, then reuses it', async () => {
    const keys = store();
    const first = await keys.load(1_000_000);
    const again = await keys.load(1_000_000 + DAY);
    assert.equal(first.signing.kid, again.signing.kid);
    assert.equal(again.published.length, 1);
    assert.equal(first.signing.publicJwk.d, undefined, 'the public JWK has no private part');
    assert.ok(first.signing.privateJwk.d);
  });

  it('publishes the successor before it signs and keeps the old key until its tokens expire', async () => {
    const keys = store();
    const t0 = 5_000_000;
    const first = await keys.load(t0);
    const beforeRetire = first.signing.retiresAt - PRE_PUBLICATION_MS + 1;
    const overlap = await keys.load(beforeRetire);
    assert.equal(overlap.signing.kid, first.signing.kid, 'the old key still signs');
    assert.equal(overlap.published.length, 2, 'the successor is already published');
    const after = await keys.load(first.signing.retiresAt + 1);
    assert.notEqual(after.signing.kid, first.signing.kid, 'the successor signs after rotation');
    assert.ok(
      after.published.some((k) => k.kid === first.signing.kid),
      'old key still verifies',
    );
    const later = await keys.load(first.signing.expiresAt + 1);
    assert.ok(!later.published.some((k) => k.kid === first.signing.kid), 'old key gone once expired');
  });

  it('rotates at once on demand', async () => {
    const keys = store();
    const now = Date.now();
    const first = await keys.load(now);
    await keys.rotateNow(now + 10);
    const next = await keys.load(now + 20);
    assert.notEqual(next.signing.kid, first.signing.kid);
    assert.ok(next.published.some((k) => k.kid === first.signing.kid));
  });
});
