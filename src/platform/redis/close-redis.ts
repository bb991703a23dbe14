/** Closing an ioredis connection without waiting on a Redis that is not there. */
import type { Redis } from 'ioredis';

/**
 * QUIT when the connection is up, so replies in flight arrive; otherwise disconnect at once:
 * QUIT on a connection that is down would sit in the offline queue until its retries run out.
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through to a hard disconnect.
    }
  }
  client.disconnect();
}
