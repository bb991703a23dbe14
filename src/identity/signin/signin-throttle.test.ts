import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { requireRedis, testLogger } from '../../../test/harness/engines.ts';
import { randomPrefix, testConfig } from '../../platform/ratelimit/test-support.ts';
import {
  createSignInThrottle,
  type SignInThrottle,
  type SignInThrottleSettings,
  type ThrottleContext,
} from './signin-throttle.ts';

const redisUrl = await requireRedis();
const stores = [
  { name: 'memory', skip: undefined, env: {} },
  {
    name: 'redis',
    skip: redisUrl === undefined ? 'Redis is not available' : undefined,
    env: { REDIS_URL: redisUrl ?? 'redis://127.0.0.1:6379' },
  },
] as const;

const GENEROUS = { points: 1000, durationSec: 60 };

for (const store of stores) {
  void describe(`sign-in throttle (${store.name} store)`, { skip: store.skip }, () => {
    const opened: SignInThrottle[] = [];
    const open = async (
      settings: Partial<SignInThrottleSettings>,
      shared?: { prefix: string; secret: Buffer },
    ) => {
      const throttle = await createSignInThrottle({
        config: testConfig(store.env),
        logger: testLogger(),
        accountKeySecret: shared?.secret ?? randomBytes(32),
        settings: { ip: GENEROUS, subnet: GENEROUS, ...settings },
        redisKeyPrefix: shared?.prefix ?? randomPrefix(),
      });
      opened.push(throttle);
      return throttle;
    };
    after(async () => {
      await Promise.all(opened.map((t) => t.close()));
    });

    /** One failed sign-in attempt; returns whether it was allowed to run. */
    const fail = async (throttle: SignInThrottle, ctx: ThrottleContext) => {
      const decision = await throttle.check(ctx);
      if (decision.allowed) await throttle.recordFailure(ctx);
      return decision;
    };

    void it('locks an account after the free failures, doubling the lock up to the ceiling', async () => {
      const throttle = await open({ freeAttempts: 3, windowSec: 60, baseLockSec: 1, maxLockSec: 2 });
      const ctx = { account: 'upn:alice@contoso.test', ip: '203.0.113.7' };
      for (let i = 0; i < 3; i++) assert.deepEqual(await fail(throttle, ctx), { allowed: true });
      // The third failure used up the free attempts: locked for the base time.
      assert.deepEqual(await throttle.check(ctx), { allowed: false, limit: 'account', retryAfterSec: 1 });
      // Another address does not get around an account lock.
      assert.equal((await throttle.check({ ...ctx, ip: '198.51.100.1' })).allowed, false);
      await sleep(1100);
      // One attempt after the lock; it takes the next, doubled lock before it runs.
      assert.deepEqual(await fail(throttle, ctx), { allowed: true });
      assert.deepEqual(await throttle.check(ctx), { allowed: false, limit: 'account', retryAfterSec: 2 });
      await sleep(2100);
      assert.deepEqual(await fail(throttle, ctx), { allowed: true });
      // Capped at maxLockSec.
      assert.deepEqual(await throttle.check(ctx), { allowed: false, limit: 'account', retryAfterSec: 2 });
      // Other accounts are unaffected.
      assert.deepEqual(await throttle.check({ ...ctx, account: 'upn:bob@contoso.test' }), { allowed: true });
    });

    void it('a success clears the account state', async () => {
      const throttle = await open({ freeAttempts: 2, windowSec: 60, baseLockSec: 60, maxLockSec: 60 });
      const ctx = { account: 'upn:carol@contoso.test', ip: '203.0.113.8' };
      await fail(throttle, ctx);
      assert.deepEqual(await throttle.check(ctx), { allowed: true });
      await throttle.recordSuccess(ctx);
      assert.deepEqual(await fail(throttle, ctx), { allowed: true });
      assert.deepEqual(await fail(throttle, ctx), { allowed: true });
      assert.equal((await throttle.check(ctx)).allowed, false);
    });

    void it('a parallel burst on one account gets the free attempts plus one', async () => {
      const throttle = await open({ freeAttempts: 4, windowSec: 60, baseLockSec: 30, maxLockSec: 60 });
      const ctx = { account: 'upn:dave@contoso.test', ip: '203.0.113.9' };
      const decisions = await Promise.all(Array.from({ length: 25 }, () => throttle.check(ctx)));
      assert.equal(decisions.filter((d) => d.allowed).length, 5);
      for (const d of decisions) if (!d.allowed) assert.equal(d.limit, 'account');
    });

    void it('per-address budget across many accounts; successes are refunded but bank no credit', async () => {
      const throttle = await open({ ip: { points: 3, durationSec: 60 } });
      const ip = '192.0.2.10';
      // Ten successful sign-ins from this address spend nothing and save nothing.
      for (let i = 0; i < 10; i++) {
        const ctx = { account: `upn:ok${i}@contoso.test`, ip };
        assert.equal((await throttle.check(ctx)).allowed, true);
        await throttle.recordSuccess(ctx);
      }
      for (let i = 0; i < 3; i++)
        assert.equal((await fail(throttle, { account: `upn:guess${i}@contoso.test`, ip })).allowed, true);
      const refused = await throttle.check({ account: 'upn:guess9@contoso.test', ip });
      assert.ok(!refused.allowed, 'the fourth failure from one address is refused');
      assert.equal(refused.limit, 'ip');
      assert.ok(refused.retryAfterSec >= 1);
      // An IPv4-mapped spelling is the same client.
      assert.equal(
        (await throttle.check({ account: 'upn:x@contoso.test', ip: `::ffff:${ip}` })).allowed,
        false,
      );
      // A client in another subnet has its own budget.
      assert.equal(
        (await throttle.check({ account: 'upn:x@contoso.test', ip: '198.51.100.20' })).allowed,
        true,
      );
    });

    void it('per-subnet budget: rotating addresses inside a /24 or a /64 does not help', async () => {
      const throttle = await open({ subnet: { points: 5, durationSec: 60 } });
      const v4 = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          fail(throttle, { account: `upn:v4-${i}@x.test`, ip: `203.0.113.${i + 1}` }),
        ),
      );
      assert.equal(v4.filter((d) => d.allowed).length, 5);
      const v6 = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          fail(throttle, { account: `upn:v6-${i}@x.test`, ip: `2001:db8:1:2::${i + 1}` }),
        ),
      );
      assert.equal(v6.filter((d) => d.allowed).length, 5);
      for (const d of [...v4, ...v6]) if (!d.allowed) assert.equal(d.limit, 'subnet');
      assert.equal((await throttle.check({ account: 'upn:z@x.test', ip: '2001:db8:1:3::1' })).allowed, true);
    });

    void it('addresses that do not parse share one bucket', async () => {
      const throttle = await open({ ip: { points: 2, durationSec: 60 } });
      const results = [];
      for (const ip of ['junk', 'also junk', '999.1.1.1', ''])
        results.push(await fail(throttle, { account: 'upn:j@x.test', ip }));
      assert.deepEqual(
        results.map((r) => r.allowed),
        [true, true, false, false],
      );
    });
  });
}

void describe('sign-in throttle in Redis', { skip: stores[1].skip }, () => {
  const opened: SignInThrottle[] = [];
  after(async () => {
    await Promise.all(opened.map((t) => t.close()));
  });
  const open = async (prefix: string, secret: Buffer) => {
    const throttle = await createSignInThrottle({
      config: testConfig({ REDIS_URL: redisUrl ?? '' }),
      logger: testLogger(),
      accountKeySecret: secret,
      settings: { freeAttempts: 2, windowSec: 60, baseLockSec: 60, maxLockSec: 60 },
      redisKeyPrefix: prefix,
    });
    opened.push(throttle);
    return throttle;
  };

  void it('two nodes share the account lock; keys never contain the user name', async () => {
    const prefix = randomPrefix();
    const secret = randomBytes(32);
    const [nodeA, nodeB] = [await open(prefix, secret), await open(prefix, secret)];
    const ctx = { account: 'upn:erin.secret-name@contoso.test', ip: '203.0.113.50' };
    for (const node of [nodeA, nodeB]) {
      assert.equal((await node.check(ctx)).allowed, true);
      await node.recordFailure(ctx);
    }
    assert.equal((await nodeA.check(ctx)).allowed, false);
    assert.equal((await nodeB.check(ctx)).allowed, false);

    const client = new Redis(redisUrl ?? '');
    try {
      const keys = await client.keys(`${prefix}:*`);
      assert.ok(keys.length >= 3, `keys: ${keys.join(', ')}`);
      for (const key of keys) assert.doesNotMatch(key, /erin|contoso|secret-name/i);
    } finally {
      client.disconnect();
    }
  });
});
