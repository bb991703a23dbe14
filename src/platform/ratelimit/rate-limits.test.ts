import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { AppError } from '../errors/app-error.ts';
import { createLogger } from '../logging/logger.ts';
import { createRateLimits, type RateLimits } from './rate-limits.ts';
import { randomPrefix, testConfig } from './test-support.ts';
import { requireRedis } from '../../../test/harness/engines.ts';

const redisUrl = await requireRedis();
const redisSkip = redisUrl === undefined ? 'Redis is not available' : undefined;
// Only used when Redis answered; the fallback keeps skipped suites constructible.
const TEST_REDIS_URL = redisUrl ?? 'redis://127.0.0.1:6379';
const silent = createLogger({ level: 'silent' });

/** Runs `fn` and returns the 429 it throws, or undefined when it passes. */
async function outcome(fn: () => Promise<void>): Promise<AppError | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.status, 429);
    return err;
  }
}

/** Counts passes and 429s over a sequence of calls, made one after another. */
async function tally(calls: (() => Promise<void>)[]): Promise<{ ok: number; limited: number }> {
  let ok = 0;
  let limited = 0;
  for (const call of calls) {
    if ((await outcome(call)) === undefined) ok++;
    else limited++;
  }
  return { ok, limited };
}

function retryAfter(err: AppError | undefined): number {
  assert.ok(err !== undefined, 'expected a 429');
  return Number(err.headers['retry-after']);
}

const stores = [
  { name: 'memory', skip: undefined, redisEnv: {} },
  { name: 'redis', skip: redisSkip, redisEnv: { REDIS_URL: TEST_REDIS_URL } },
] as const;

for (const store of stores) {
  void describe(`rate limits (${store.name} store)`, { skip: store.skip }, () => {
    const opened: RateLimits[] = [];
    const open = async (env: Record<string, string>, prefix = randomPrefix()) => {
      const limits = await createRateLimits(testConfig({ ...store.redisEnv, ...env }), silent, {
        redisKeyPrefix: prefix,
      });
      opened.push(limits);
      return limits;
    };
    after(async () => {
      await Promise.all(opened.map((l) => l.close()));
    });

    void it('a burst over the budget gets rate_limited with Retry-After between 1 and the window', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_IP: '5/60s' });
      const results = await tally(Array.from({ length: 8 }, () => () => limits.consumeClient('203.0.113.7')));
      assert.deepEqual(results, { ok: 5, limited: 3 });
      const wait = retryAfter(await outcome(() => limits.consumeClient('203.0.113.7')));
      assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
      // Another address in another subnet has its own budget.
      assert.equal(await outcome(() => limits.consumeClient('198.51.100.1')), undefined);
    });

    void it('60 addresses rotating inside one /24 exhaust the subnet bucket', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_IP: '100/60s', PARLEY_RATE_LIMIT_SUBNET: '30/60s' });
      const calls = Array.from({ length: 60 }, (_, i) => () => limits.consumeClient(`203.0.113.${i + 1}`));
      assert.deepEqual(await tally(calls), { ok: 30, limited: 30 });
      // The neighbouring /24 is untouched.
      assert.equal(await outcome(() => limits.consumeClient('203.0.114.1')), undefined);
    });

    void it('IPv6 addresses inside one /64 share the subnet bucket, whatever their spelling', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_IP: '100/60s', PARLEY_RATE_LIMIT_SUBNET: '30/60s' });
      const calls = Array.from({ length: 40 }, (_, i) => {
        const ip =
          i % 2 === 0
            ? `2001:db8:aa:bb:${i.toString(16)}::1`
            : `2001:0DB8:00AA:00BB:0:0:${i.toString(16)}:0001`;
        return () => limits.consumeClient(ip);
      });
      assert.deepEqual(await tally(calls), { ok: 30, limited: 10 });
      assert.equal(await outcome(() => limits.consumeClient('2001:db8:aa:bc::1')), undefined);
    });

    void it('one address in different spellings (IPv4-mapped, IPv6 case and zeros) is one ip bucket', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_IP: '3/60s' });
      const v4 = ['192.0.2.9', '::ffff:192.0.2.9', '::FFFF:c000:209', '192.0.2.9'];
      assert.deepEqual(await tally(v4.map((ip) => () => limits.consumeClient(ip))), { ok: 3, limited: 1 });
      const v6 = ['2001:db8::9', '2001:DB8:0::9', '2001:0db8:0:0:0:0:0:0009', '2001:db8::9'];
      assert.deepEqual(await tally(v6.map((ip) => () => limits.consumeClient(ip))), { ok: 3, limited: 1 });
    });

    void it('addresses that do not parse share one bucket instead of each getting a budget', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_IP: '2/60s' });
      const junk = ['garbage', 'unknown', '999.1.1.1', ''];
      assert.deepEqual(await tally(junk.map((ip) => () => limits.consumeClient(ip))), { ok: 2, limited: 2 });
    });

    void it('principal, tenant and partner buckets are separate and keyed as documented', async () => {
      const limits = await open({
        PARLEY_RATE_LIMIT_PRINCIPAL: '2/60s',
        PARLEY_RATE_LIMIT_TENANT: '5/60s',
        PARLEY_RATE_LIMIT_PARTNER: '3/60s',
      });
      // The same key string in different kinds never shares a bucket.
      await limits.consume('principal', 'same');
      await limits.consume('tenant', 'same');
      await limits.consume('partner', 'same');
      await limits.consume('principal', 'same');
      assert.ok(await outcome(() => limits.consume('principal', 'same')));
      // Principal ids are opaque: case matters.
      assert.equal(await outcome(() => limits.consume('principal', 'SAME')), undefined);
      // Weighted consumption: 3 + 3 > 5.
      await limits.consume('tenant', 'acme', 3);
      assert.ok(await outcome(() => limits.consume('tenant', 'acme', 3)));
      // Partner domains: case, the root dot and the Unicode/A-label spellings are one partner.
      const spellings = ['Fed-B.Example', 'fed-b.example.', 'FED-B.EXAMPLE', 'fed-b.example'];
      assert.deepEqual(await tally(spellings.map((d) => () => limits.consume('partner', d))), {
        ok: 3,
        limited: 1,
      });
      await limits.consume('partner', 'bücher.example');
      await limits.consume('partner', 'xn--bcher-kva.example');
      await limits.consume('partner', 'BÜCHER.example.');
      assert.ok(await outcome(() => limits.consume('partner', 'xn--bcher-kva.example')));
    });

    void it('consume on a subnet accepts an address or a subnet key', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_SUBNET: '2/60s' });
      await limits.consume('subnet', '203.0.113.0/24');
      await limits.consume('subnet', '203.0.113.77');
      assert.ok(await outcome(() => limits.consumeClient('203.0.113.200')));
    });

    void it('Retry-After is the longer wait when both the ip and the subnet bucket are empty', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_IP: '1/5s', PARLEY_RATE_LIMIT_SUBNET: '1/120s' });
      await limits.consumeClient('203.0.113.1');
      const wait = retryAfter(await outcome(() => limits.consumeClient('203.0.113.1')));
      assert.ok(wait > 5 && wait <= 120, `Retry-After ${wait}`);
    });

    void it('the budget comes back after the window', async () => {
      const limits = await open({ PARLEY_RATE_LIMIT_IP: '2/1s' });
      await limits.consumeClient('203.0.113.5');
      await limits.consumeClient('203.0.113.5');
      assert.equal(retryAfter(await outcome(() => limits.consumeClient('203.0.113.5'))), 1);
      await sleep(1100);
      assert.equal(await outcome(() => limits.consumeClient('203.0.113.5')), undefined);
    });

    void it('rejects programming errors: empty keys and non-positive points', async () => {
      const limits = await open({});
      await assert.rejects(() => limits.consume('principal', ''), TypeError);
      await assert.rejects(() => limits.consume('tenant', 't', 0), RangeError);
      await assert.rejects(() => limits.consume('tenant', 't', 1.5), RangeError);
    });
  });
}

void describe('rate limits shared through Redis', { skip: redisSkip }, () => {
  const redis = new Redis({ lazyConnect: true });
  after(() => {
    redis.disconnect();
  });

  void it('two RateLimits instances (two processes) on one Redis share one budget', async () => {
    const prefix = randomPrefix();
    const config = testConfig({ REDIS_URL: TEST_REDIS_URL, PARLEY_RATE_LIMIT_IP: '10/60s' });
    const a = await createRateLimits(config, silent, { redisKeyPrefix: prefix });
    const b = await createRateLimits(config, silent, { redisKeyPrefix: prefix });
    try {
      const calls = Array.from(
        { length: 16 },
        (_, i) => () => (i % 2 === 0 ? a : b).consumeClient('198.51.100.20'),
      );
      assert.deepEqual(await tally(calls), { ok: 10, limited: 6 });
      // Also concurrently: the Lua increment is atomic, so no request slips through a race.
      const prefix2 = randomPrefix();
      const c = await createRateLimits(config, silent, { redisKeyPrefix: prefix2 });
      const d = await createRateLimits(config, silent, { redisKeyPrefix: prefix2 });
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          outcome(() => (i % 2 === 0 ? c : d).consumeClient('198.51.100.21')),
        ),
      );
      assert.equal(results.filter((r) => r === undefined).length, 10);
      await Promise.all([c.close(), d.close()]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  void it('keys are namespaced <prefix>:<kind>:<key>, parley:rl by default', async () => {
    await redis.connect();
    const prefix = randomPrefix();
    const config = testConfig({ REDIS_URL: TEST_REDIS_URL });
    const limits = await createRateLimits(config, silent, { redisKeyPrefix: prefix });
    await limits.consumeClient('::ffff:203.0.113.9');
    await limits.consume('partner', 'Fed-B.Example.');
    await limits.consume('principal', 'usr_01J');
    await limits.close();
    const keys = (await redis.keys(`${prefix}:*`)).sort();
    assert.deepEqual(keys, [
      `${prefix}:ip:203.0.113.9`,
      `${prefix}:partner:fed-b.example`,
      `${prefix}:principal:usr_01J`,
      `${prefix}:subnet:203.0.113.0/24`,
    ]);
    assert.ok((await redis.pttl(`${prefix}:ip:203.0.113.9`)) > 0, 'buckets expire with their window');

    const id = randomUUID();
    const byDefault = await createRateLimits(config, silent);
    await byDefault.consume('principal', id);
    await byDefault.close();
    assert.equal(await redis.exists(`parley:rl:principal:${id}`), 1);
    await redis.del(`parley:rl:principal:${id}`);
  });
});
