/**
 * The admin listener: Prometheus `/metrics` plus `/healthz` and `/readyz`, on its own port, bound to
 * loopback by default and served over HTTPS with the same certificate. Metrics describe the whole
 * deployment, so they are never on the public listener; off loopback they need a bearer token.
 */
import type { Server } from 'node:https';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.ts';
import { readinessReport, type ReadinessProbe } from '../http/health.routes.ts';
import { createHttpsServer } from '../http/https-server.ts';
import { HSTS_HEADER } from '../tls/tls-profile.ts';

export interface AdminServerDeps {
  readonly certPem: string;
  readonly keyPem: string;
  readonly metrics: Metrics;
  readonly readiness: ReadinessProbe;
  readonly metricsToken: string | undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of the presented bearer token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (header?.startsWith('Bearer ') !== true) return false;
  return timingSafeEqual(digest(header.slice(7)), digest(token));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'strict-transport-security': HSTS_HEADER,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(body);
}

export function createAdminServer(deps: AdminServerDeps): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET')
      return send(res, 405, 'application/json', '{"error":{"code":"method_not_allowed"}}');
    if (path === '/healthz') return send(res, 200, 'application/json', '{"status":"ok"}');
    if (path === '/readyz') {
      const report = await readinessReport(deps.readiness);
      return send(res, report.status === 'ready' ? 200 : 503, 'application/json', JSON.stringify(report));
    }
    if (path === '/metrics') {
      if (deps.metricsToken !== undefined && !bearerMatches(req.headers.authorization, deps.metricsToken)) {
        res.setHeader('www-authenticate', 'Bearer');
        return send(res, 401, 'application/json', '{"error":{"code":"unauthenticated"}}');
      }
      deps.metrics.ready.set(deps.readiness.accepting() ? 1 : 0);
      return send(res, 200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
    }
    send(res, 404, 'application/json', '{"error":{"code":"not_found"}}');
  };
  // Same TLS profile and connection timeouts as the public listener, with tighter budgets: scrapes
  // and probes are small and quick.
  return createHttpsServer(
    {
      certPem: deps.certPem,
      keyPem: deps.keyPem,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 10000,
      keepAliveTimeoutMs: 5000,
    },
    (req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, 'application/json', '{"error":{"code":"internal_error"}}');
      });
    },
  );
}
