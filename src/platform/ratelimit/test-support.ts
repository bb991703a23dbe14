/**
 * Test support for the rate-limit tests: a Config with chosen budgets, a logger whose lines can
 * be read back, and the "Redis required" rule (fail under CI, skip loudly elsewhere).
 * Only test files import this module.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import type { Config } from '../../config/config.ts';
import { loadConfig } from '../../config/load.ts';
import { createLogger, type Logger } from '../logging/logger.ts';

/** Config from PARLEY_* style variables, through the real loader. */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig(env, tmpdir());
}

/** A unique Redis namespace per test, so parallel test files never share a bucket. */
export function randomPrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:rl`;
}

/** A logger that records its JSON lines. */
export function recordingLogger(): { logger: Logger; lines: () => { level: string; msg: string }[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const logger = createLogger({ level: 'debug', destination: stream });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { level: string; msg: string });
  return { logger, lines };
}

/** Redis for tests: the environment's REDIS_URL or the local default. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Returns undefined when Redis answers, else the reason to skip. Under CI=true a missing Redis
 * throws instead, so the suite fails rather than passing without having tested anything.
 */
export async function redisSkipReason(url: string = TEST_REDIS_URL): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    const reason = `Redis is not reachable at ${url} (${(err as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`, { cause: err });
    console.error(`\n!!! SKIPPING Redis rate-limit tests: ${reason} !!!\n`);
    return reason;
  } finally {
    client.disconnect();
  }
}
