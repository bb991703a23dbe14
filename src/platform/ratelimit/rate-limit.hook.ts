/**
 * The per-client limit as a Fastify hook. `request.ip` already honours X-Forwarded-For only from
 * `Config.trustedProxies` (the HTTP layer sets Fastify's `trustProxy` to that list), so a spoofed
 * header from anyone else cannot change the bucket a request is charged to.
 */
import type { FastifyRequest } from 'fastify';
import type { RateLimits } from './rate-limits.ts';

/** Fastify onRequest hook: consumeClient(request.ip). Register it before any expensive work (auth, DB). */
export function rateLimitHook(limits: RateLimits): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    await limits.consumeClient(request.ip);
  };
}
