/** One place that opens Redis connections, so timeouts and retry behaviour are the same everywhere. */
import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.ts';

export function connectRedis(url: string, logger: Logger, name: string): Redis {
  const client = new Redis(url, {
    connectionName: `parley-${name}`,
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let reported = false;
  client.on('error', (err: Error) => {
    // ioredis retries by itself; say it once per outage rather than once per retry.
    if (!reported) logger.warn({ err: { message: err.message }, connection: name }, 'redis connection error');
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.info({ connection: name }, 'redis connection restored');
    reported = false;
  });
  return client;
}
