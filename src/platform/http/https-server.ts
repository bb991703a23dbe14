/**
 * The HTTPS server behind Fastify, created here because Node only honours some protections when
 * they are passed at creation: `connectionsCheckingInterval` decides how quickly a slowloris client
 * that never finishes its headers is cut off (Node's default check runs every 30 s), and Fastify
 * leaves `requestTimeout` off by default.
 */
import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import { intermediateTlsOptions } from '../tls/tls-profile.ts';

export interface HttpsServerSettings {
  readonly certPem: string;
  readonly keyPem: string;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/** How often Node sweeps for connections past headersTimeout/requestTimeout. */
export function checkingInterval(settings: Pick<HttpsServerSettings, 'headersTimeoutMs'>): number {
  return Math.max(250, Math.min(1000, Math.floor(settings.headersTimeoutMs / 4)));
}

export function createHttpsServer(settings: HttpsServerSettings, handler: RequestListener): Server {
  const server = createServer(
    {
      ...intermediateTlsOptions,
      cert: settings.certPem,
      key: settings.keyPem,
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkingInterval(settings),
      // A TLS handshake must finish quickly too (Node's default is 120 s).
      handshakeTimeout: Math.min(10_000, settings.headersTimeoutMs),
    },
    handler,
  );
  // Bound the idle time of a socket that is neither in a request nor kept alive.
  server.setTimeout(settings.requestTimeoutMs * 2);
  return server;
}
