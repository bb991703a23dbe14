/**
 * Test support for the rate-limit tests: a Config with chosen budgets, a logger whose lines can
 * be read back. Redis availability comes from the shared harness (`requireRedis`: fail under CI,
 * skip loudly elsewhere).
 * Only test files import this module.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
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
