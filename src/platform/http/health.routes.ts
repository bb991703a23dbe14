/**
 * Liveness and readiness (public: load balancers and orchestrators call them without credentials).
 * `/healthz` says the process is up; `/readyz` checks the database and Redis and turns 503 while
 * the process drains for shutdown, so a load balancer stops sending new work.
 */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';

export type CheckState = 'ok' | 'failing' | 'disabled';

export interface ReadinessProbe {
  /** False from the moment shutdown begins. */
  accepting(): boolean;
  checks(): Promise<Record<string, CheckState>>;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly checks: Record<string, CheckState>;
}

/** Ready when accepting work and no check is failing (a disabled check is not a failure). */
export async function readinessReport(probe: ReadinessProbe): Promise<ReadinessReport> {
  const checks = await probe.checks();
  const ready = probe.accepting() && Object.values(checks).every((c) => c !== 'failing');
  return { status: ready ? 'ready' : 'not_ready', checks };
}

const Health = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });
const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
    checks: Type.Record(
      Type.String(),
      Type.Union([Type.Literal('ok'), Type.Literal('failing'), Type.Literal('disabled')]),
    ),
  },
  { additionalProperties: false },
);

export function registerHealthRoutes(app: FastifyInstance, probe: ReadinessProbe): void {
  app.get(
    '/healthz',
    { config: { public: true }, schema: { response: { 200: Health } } },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' as const };
    },
  );
  app.get(
    '/readyz',
    { config: { public: true }, schema: { response: { 200: Readiness, 503: Readiness } } },
    async (_req, reply) => {
      const report = await readinessReport(probe);
      reply.header('cache-control', 'no-store').code(report.status === 'ready' ? 200 : 503);
      return report;
    },
  );
}
