/**
 * The Microsoft Graph-shaped directory API under `/v1.0` (G1–G4 of the Graph compatibility notes):
 * Graph SDKs pointed at this server (`baseUrl: 'https://HOST/'`, `customHosts: ['HOST']`) read
 * `/me`, `/users`, `/groups` and `/organization` in Graph's shapes, with Graph's error envelope
 * and correlation headers. Everything here is encapsulated in one Fastify scope so its error and
 * not-found handlers answer in Graph's envelope without changing the native API's.
 */
import type { FastifyInstance } from 'fastify';
import type { DirectoryReader } from '../../directory/directory.types.ts';
import { GRAPH_JSON, graphErrorHandler, graphNotFoundHandler, setCorrelationHeaders } from './graph-reply.ts';
import { registerGroupRoutes } from './groups.routes.ts';
import { registerOrganizationRoutes } from './organization.routes.ts';
import { registerUserRoutes } from './users.routes.ts';

export interface GraphModuleDeps {
  readonly directory: DirectoryReader;
  /** The server's public origin, e.g. `https://parley.example.com`; links are absolute on it. */
  readonly publicOrigin: () => string;
}

/** Graph's version segment; `/beta` is not served. */
export const GRAPH_PREFIX = '/v1.0';

/** Registers the `/v1.0` scope with its routes. */
export async function registerGraphModule(app: FastifyInstance, deps: GraphModuleDeps): Promise<void> {
  await app.register(
    (scope, _options, done) => {
      scope.setErrorHandler(graphErrorHandler(app.initialConfig.bodyLimit ?? 1_048_576));
      scope.setNotFoundHandler(graphNotFoundHandler);
      scope.addHook('preHandler', (_request, reply, done) => {
        reply.type(GRAPH_JSON).header('cache-control', 'no-store');
        done();
      });
      // Every answer of the scope, refusals included, carries Graph's correlation headers.
      scope.addHook('onSend', async (request, reply, payload) => {
        setCorrelationHeaders(request, reply);
        return payload;
      });
      registerUserRoutes(scope, deps);
      registerGroupRoutes(scope, deps);
      registerOrganizationRoutes(scope, deps);
      done();
    },
    { prefix: GRAPH_PREFIX },
  );
}
