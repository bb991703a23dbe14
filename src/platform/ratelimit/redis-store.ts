/**
 * The ioredis connection that holds shared rate-limit buckets, tuned so that a Redis outage never
 * stalls a request: commands are not queued while disconnected (`enableOfflineQueue: false`) and
 * a slow command times out. Either way the limiter falls through to its in-memory insurance
 * limiter at once (see rate-limits.ts), and the client keeps reconnecting in the background.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.ts';
import { closeRedis } from '../redis/close-redis.ts';

/** How long a start waits for Redis before it carries on with per-process limits. */
const CONNECT_TIMEOUT_MS = 2000;
/** A rate-limit check is on every request's path: never wait on Redis longer than this. */
const COMMAND_TIMEOUT_MS = 500;
/** Clients being closed on purpose: their 'close' event is not an outage. */
const closing = new WeakSet<Redis>();

/**
 * Opens the connection. Resolves even when Redis cannot be reached (logging a warning), because
 * the limits still hold per process and the client connects as soon as Redis is back.
 */
export async function openRateLimitRedis(url: string, logger: Logger): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    connectionName: 'parley-ratelimit',
  });
  watchHealth(client, logger);
  try {
    await client.connect();
  } catch {
    // Reported by watchHealth; the client keeps retrying with retryStrategy.
  }
  return client;
}

/** Closes the connection without waiting on a Redis that is not there. */
export async function closeRateLimitRedis(client: Redis): Promise<void> {
  closing.add(client);
  await closeRedis(client);
}

/**
 * Logs each change between "shared" and "per process" once, not every reconnect attempt: an
 * outage would otherwise write a line every 200 ms–5 s per process. The error listener is also
 * what keeps ioredis from printing "Unhandled error event" to stderr.
 */
function watchHealth(client: Redis, logger: Logger): void {
  let degraded = false;
  const degrade = (reason: string) => {
    if (degraded || closing.has(client)) return;
    degraded = true;
    logger.warn(
      { reason },
      'rate-limit store (Redis) unavailable: limits now apply per process from memory until it returns',
    );
  };
  client.on('error', (err: Error) => {
    degrade(err.message);
  });
  client.on('close', () => {
    degrade('connection closed');
  });
  client.on('ready', () => {
    if (degraded) logger.info('rate-limit store (Redis) reachable again: limits are shared across processes');
    degraded = false;
  });
}
