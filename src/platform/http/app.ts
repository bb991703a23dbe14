/**
 * Builds the HTTPS application: the order of hooks is the security design.
 *   1. security headers (so every later refusal carries them)
 *   2. request id + timing
 *   3. per-address and per-subnet rate limits (cheap, before any expensive work)
 *   4. the access guard (authentication, then principal/tenant/partner limits)
 *   5. schema validation, the route, response serialisation through the response schema
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { pathOnly } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { RateLimits } from '../ratelimit/rate-limits.ts';
import { rateLimitHook } from '../ratelimit/rate-limit.hook.ts';
import { AppError } from '../errors/app-error.ts';
import { accessGuard, type Authenticator } from './access.ts';
import { errorHandler, notFoundHandler } from './error-renderer.ts';
import { createHttpsServer } from './https-server.ts';
import { requestId } from './request-id.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerHealthRoutes, type ReadinessProbe } from './health.routes.ts';
import { registerStatusRoutes } from './status.routes.ts';
import { registerWebShell } from './web-shell.ts';

export type HttpApp = FastifyInstance;

/** One entry of the route inventory (used to prove that only the public list answers anonymously). */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly public: boolean;
}

export interface HttpAppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly certPem: string;
  readonly keyPem: string;
  readonly metrics: Metrics;
  readonly limits: RateLimits;
  readonly authenticator: Authenticator;
  readonly readiness: ReadinessProbe;
  readonly version: string;
  /** Domain modules add their routes here (all non-public unless marked). */
  readonly registerRoutes?: (app: FastifyInstance) => Promise<void>;
  /** Directory of the built web client; defaults to web/dist. */
  readonly webDist?: string;
}

export async function buildHttpApp(
  deps: HttpAppDeps,
): Promise<{ app: FastifyInstance; routes: readonly RouteEntry[] }> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    // One line per request is written by the onResponse hook below, without the query string.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestId,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    serverFactory: (handler) =>
      createHttpsServer(
        {
          certPem: deps.certPem,
          keyPem: deps.keyPem,
          headersTimeoutMs: config.http.headersTimeoutMs,
          requestTimeoutMs: config.http.requestTimeoutMs,
          keepAliveTimeoutMs: config.http.keepAliveTimeoutMs,
        },
        handler,
      ),
    // On close: stop accepting, finish in-flight requests, close idle keep-alive sockets.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    // Modules see the plain FastifyInstance (over node:https) and opt into TypeBox typing with
    // `app.withTypeProvider<TypeBoxTypeProvider>()`; the cast only widens the server and logger types.
  }) as unknown as FastifyInstance;

  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // Read `public` when asked: plugins registered later may still mark their routes public.
    for (const method of methods) {
      routes.push({
        method,
        url: route.url,
        get public() {
          return route.config?.public === true;
        },
      });
    }
  });
  app.decorateRequest('principal', undefined);
  registerSecurityHeaders(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
  });
  app.addHook('onRequest', rateLimitHook(deps.limits));
  app.addHook('onRequest', accessGuard(deps.authenticator, deps.limits));

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    deps.metrics.httpRequestDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      seconds,
    );
    request.log.info(
      {
        method: request.method,
        path: pathOnly(request.url),
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
  app.addHook('onError', async (_request, _reply, error) => {
    if (error instanceof AppError && error.code === 'rate_limited')
      deps.metrics.rateLimited.inc({ kind: 'http' });
  });

  app.setErrorHandler(errorHandler(config.http.bodyLimitBytes));

  registerHealthRoutes(app, deps.readiness);
  registerStatusRoutes(app, { version: deps.version, roles: config.roles });
  const web = await registerWebShell(app, deps.webDist);
  if (deps.registerRoutes !== undefined) await deps.registerRoutes(app);

  app.setNotFoundHandler(async (request, reply) => {
    if (await web.navigationFallback(request, reply)) return reply;
    return notFoundHandler(request, reply);
  });
  return { app, routes };
}
