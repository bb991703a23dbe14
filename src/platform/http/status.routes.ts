/** `GET /api/v1/status`: what the web shell shows before sign-in. Public, and nothing secret in it. */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { ProcessRole } from '../../config/settings.ts';

const Status = Type.Object(
  {
    name: Type.Literal('Parley'),
    version: Type.String(),
    roles: Type.Array(Type.String()),
    time: Type.String(),
  },
  { additionalProperties: false },
);

export function registerStatusRoutes(
  app: FastifyInstance,
  info: { version: string; roles: readonly ProcessRole[] },
): void {
  app.get(
    '/api/v1/status',
    { config: { public: true }, schema: { response: { 200: Status } } },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return {
        name: 'Parley' as const,
        version: info.version,
        roles: [...info.roles],
        time: new Date().toISOString(),
      };
    },
  );
}
