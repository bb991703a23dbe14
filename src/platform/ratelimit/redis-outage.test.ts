/**
 * The documented Redis-outage behaviour (rate-limits.ts): limits keep applying per process from
 * the in-memory insurance limiter, with no added latency, and go back to the shared buckets when
 * Redis returns.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { AppError } from '../errors/app-error.ts';
import { createRateLimits, type RateLimits } from './rate-limits.ts';
import { randomPrefix, recordingLogger, testConfig } from './test-support.ts';
import { requireRedis } from '../../../test/harness/engines.ts';

/** Resolves to 'ok' or 'limited'; anything but a 429 fails the test. */
async function attempt(fn: () => Promise<void>): Promise<'ok' | 'limited'> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof AppError && err.code === 'rate_limited', `unexpected ${String(err)}`);
    return 'limited';
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  server.close();
  await once(server, 'close');
  return address.port;
}

void describe('Redis unreachable from the start', () => {
  void it('starts anyway, logs a warning, and still limits per process without waiting on Redis', async () => {
    const port = await closedPort();
    const { logger, lines } = recordingLogger();
    const started = Date.now();
    const limits = await createRateLimits(
      testConfig({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        PARLEY_RATE_LIMIT_IP: '5/60s',
        PARLEY_RATE_LIMIT_SUBNET: '8/60s',
      }),
      logger,
      { redisKeyPrefix: randomPrefix() },
    );
    try {
      assert.ok(Date.now() - started < 3000, 'start is not held up by the missing Redis');
      const t0 = performance.now();
      const results: string[] = [];
      for (let i = 0; i < 7; i++) results.push(await attempt(() => limits.consumeClient('203.0.113.7')));
      const perCallMs = (performance.now() - t0) / 7;
      assert.deepEqual(results, ['ok', 'ok', 'ok', 'ok', 'ok', 'limited', 'limited']);
      assert.ok(perCallMs < 50, `a check took ${perCallMs.toFixed(1)} ms on average`);
      // Subnet limits hold too: 7 requests already counted, one more address gets 1 of the 8.
      assert.equal(await attempt(() => limits.consumeClient('203.0.113.8')), 'ok');
      assert.equal(await attempt(() => limits.consumeClient('203.0.113.9')), 'limited');
      const warnings = lines().filter((l) => l.level === 'warn' && l.msg.includes('unavailable'));
      assert.equal(warnings.length, 1, 'one warning per outage, not one per reconnect attempt');
    } finally {
      await limits.close();
    }
  });
});

/** A TCP relay in front of the real Redis that can be cut and restored, to stage an outage. */
class RedisRelay {
  readonly server: Server = createServer((client) => {
    this.sockets.add(client);
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  readonly sockets = new Set<Socket>();
  readonly target: { host: string; port: number };
  port = 0;

  constructor(redisUrl: string) {
    const url = new URL(redisUrl);
    this.target = { host: url.hostname, port: Number(url.port || 6379) };
  }

  async up(): Promise<void> {
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    assert.ok(address !== null && typeof address === 'object');
    this.port = address.port;
  }

  async down(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }
}

const redisUrl = await requireRedis();
const redisSkip = redisUrl === undefined ? 'Redis is not available' : undefined;
// Only used when Redis answered; the fallback keeps skipped suites constructible.
const TEST_REDIS_URL = redisUrl ?? 'redis://127.0.0.1:6379';

void describe('Redis lost and regained while running', { skip: redisSkip }, () => {
  const relay = new RedisRelay(TEST_REDIS_URL);
  const direct = new Redis({ lazyConnect: true });
  let limits: RateLimits | undefined;
  after(async () => {
    await limits?.close();
    if (relay.server.listening) await relay.down();
    direct.disconnect();
  });

  void it('falls back to per-process limits during the outage and back to the shared bucket after it', async () => {
    await relay.up();
    await direct.connect();
    const prefix = randomPrefix();
    const { logger, lines } = recordingLogger();
    const relayUrl = new URL(TEST_REDIS_URL);
    relayUrl.host = `127.0.0.1:${relay.port}`;
    limits = await createRateLimits(
      testConfig({ REDIS_URL: relayUrl.toString(), PARLEY_RATE_LIMIT_IP: '3/60s' }),
      logger,
      {
        redisKeyPrefix: prefix,
      },
    );
    const rl = limits;
    const ip = '198.51.100.30';
    const key = `${prefix}:ip:${ip}`;

    // Healthy: two points land in Redis.
    await rl.consumeClient(ip);
    await rl.consumeClient(ip);
    assert.equal(await direct.get(key), '2');

    // Outage: the insurance limiter enforces the same budget from memory, quickly.
    await relay.down();
    const t0 = performance.now();
    const during: string[] = [];
    for (let i = 0; i < 4; i++) during.push(await attempt(() => rl.consumeClient(ip)));
    assert.deepEqual(during, ['ok', 'ok', 'ok', 'limited']);
    assert.ok(performance.now() - t0 < 500, 'no request waits on the dead connection');
    assert.equal(await direct.get(key), '2', 'nothing reached Redis during the outage');
    assert.ok(lines().some((l) => l.level === 'warn' && l.msg.includes('unavailable')));

    // Recovery: the client reconnects by itself and the shared bucket (2 of 3 used) is back in charge.
    await relay.up();
    const deadline = Date.now() + 10_000;
    while (!lines().some((l) => l.msg.includes('reachable again'))) {
      assert.ok(Date.now() < deadline, 'reconnected within 10 s');
      await sleep(50);
    }
    assert.equal(await attempt(() => rl.consumeClient(ip)), 'ok');
    assert.equal(await attempt(() => rl.consumeClient(ip)), 'limited');
    assert.equal(await direct.get(key), '4');
  });
});
