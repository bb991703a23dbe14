/**
 * Request ids: taken from a well-formed inbound `x-request-id` / `client-request-id` (so a proxy or
 * client can correlate), otherwise generated. Echoed as `request-id` on every response.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestId(raw: IncomingMessage): string {
  const inbound = raw.headers['x-request-id'] ?? raw.headers['client-request-id'];
  const value = Array.isArray(inbound) ? inbound[0] : inbound;
  // Only accept ids that cannot inject into logs or headers.
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
