/**
 * `GET /api/v1/admin/audit`: a tenant's audit records for its global administrators, newest first,
 * paged with `$top`/`$skiptoken` (the Graph convention) and filtered by action, outcome and time.
 *
 * Who may read: a signed-in user (not an app, bot or partner) of the tenant who holds the
 * `globalAdministrator` role, through a token that carries the `AuditLog.Read.All` delegated
 * scope when the token carries scopes at all, so an app the admin signed in to for something else
 * cannot read the log on their behalf (Graph's rule for directory audit logs). Only the caller's
 * own tenant is ever queried; installation-wide records (no tenant) are not served here.
 * Every read and every refusal is itself audited (`audit.read`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { DirectoryReader } from '../directory/directory.types.ts';
import type { Principal } from '../platform/http/access.ts';
import { badRequest, forbidden } from '../platform/errors/app-error.ts';
import type { AuditLog } from './audit.types.ts';
import type { AuditRow, AuditStore } from './audit.store.ts';

/** Delegated scope a user token needs to read the audit log. */
export const AUDIT_READ_SCOPE = 'AuditLog.Read.All';
export const AUDIT_ROUTE = '/api/v1/admin/audit';

const DEFAULT_TOP = 50;
const MAX_TOP = 200;
/** RFC 3339 UTC date-time (`2025-01-31T12:00:00Z`, seconds and milliseconds optional). */
const UTC_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?Z$';

const Query = Type.Object(
  {
    $top: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOP })),
    $skiptoken: Type.Optional(Type.String({ maxLength: 16, pattern: '^[1-9][0-9]{0,14}$' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
    since: Type.Optional(Type.String({ maxLength: 30, pattern: UTC_TIME })),
    until: Type.Optional(Type.String({ maxLength: 30, pattern: UTC_TIME })),
  },
  { additionalProperties: false },
);

const NullableString = Type.Union([Type.String(), Type.Null()]);
const DetailValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

const AuditRecordView = Type.Object(
  {
    seq: Type.Integer(),
    occurredAt: Type.String(),
    tenantId: Type.String(),
    actor: Type.Object({ type: Type.String(), id: NullableString }, { additionalProperties: false }),
    sourceIp: NullableString,
    action: Type.String(),
    target: Type.Union([
      Type.Object({ type: Type.String(), id: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    outcome: Type.String(),
    reason: NullableString,
    details: Type.Union([Type.Record(Type.String(), DetailValue), Type.Null()]),
    prevHash: Type.String(),
    hash: Type.String(),
  },
  { additionalProperties: false },
);

const AuditPage = Type.Object(
  {
    value: Type.Array(AuditRecordView),
    '@odata.nextLink': Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export interface AuditRoutesDeps {
  readonly store: Pick<AuditStore, 'listForTenant'>;
  /** Only the role lookup is used. */
  readonly directory: Pick<DirectoryReader, 'adminRoles'>;
  /** Where reads and refusals of the audit log are themselves recorded. */
  readonly audit: AuditLog;
}

/** Registers `GET /api/v1/admin/audit`. */
export function registerAuditRoutes(app: FastifyInstance, deps: AuditRoutesDeps): void {
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get(
      AUDIT_ROUTE,
      { schema: { querystring: Query, response: { 200: AuditPage } } },
      async (request, reply) => {
        const { tenantId, principal } = await authorize(request, deps);
        const query = request.query;
        const since = parseTime(query.since);
        const until = parseTime(query.until);
        if (since !== undefined && until !== undefined && since >= until)
          throw badRequest('`since` must be earlier than `until`.');
        const top = query.$top ?? DEFAULT_TOP;
        const page = await deps.store.listForTenant(tenantId, {
          top,
          ...(query.$skiptoken === undefined ? {} : { beforeSeq: Number(query.$skiptoken) }),
          ...(query.action === undefined ? {} : { action: query.action }),
          ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
        });
        await deps.audit.record({
          ...readEntry(request, principal, tenantId),
          outcome: 'success',
          details: { records: page.rows.length },
        });
        reply.header('cache-control', 'no-store');
        const nextLink =
          page.nextBeforeSeq === undefined ? undefined : nextPageLink(query, top, page.nextBeforeSeq);
        return {
          value: page.rows.map((row) => present(row, tenantId)),
          ...(nextLink === undefined ? {} : { '@odata.nextLink': nextLink }),
        };
      },
    );
}

async function authorize(
  request: FastifyRequest,
  deps: AuditRoutesDeps,
): Promise<{ tenantId: string; principal: Principal }> {
  const principal = request.principal;
  const tenantId = principal?.tenantId;
  if (principal?.kind !== 'user' || tenantId === undefined) return refuse(request, deps, 'not_a_user');
  if (principal.scopes !== undefined && !principal.scopes.includes(AUDIT_READ_SCOPE))
    return refuse(request, deps, 'scope_missing');
  const roles = await deps.directory.adminRoles(tenantId, principal.id);
  if (!roles.includes('globalAdministrator')) return refuse(request, deps, 'not_global_administrator');
  return { tenantId, principal };
}

/** Records the refusal (best effort: the answer is 403 either way) and refuses. */
async function refuse(request: FastifyRequest, deps: AuditRoutesDeps, reason: string): Promise<never> {
  await deps.audit
    .record({
      ...readEntry(request, request.principal, request.principal?.tenantId ?? null),
      outcome: 'failure',
      reason,
    })
    .catch((err: unknown) => request.log.warn({ err }, 'audit write failed'));
  throw forbidden('Reading the audit log requires a global administrator.');
}

function readEntry(request: FastifyRequest, principal: Principal | undefined, tenantId: string | null) {
  return {
    tenantId,
    actor:
      principal === undefined ? { type: 'anonymous' as const } : { type: principal.kind, id: principal.id },
    sourceIp: request.ip,
    action: 'audit.read',
    target: { type: 'auditLog', id: tenantId ?? 'installation' },
  };
}

function parseTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  // Date.parse rolls impossible dates over (February 30 becomes March 2): a valid time reads back
  // as itself.
  if (Number.isNaN(ms) || !new Date(ms).toISOString().startsWith(text.slice(0, -1)))
    throw badRequest(`${text} is not a valid UTC time.`);
  return ms;
}

function nextPageLink(query: Record<string, unknown>, top: number, beforeSeq: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key !== '$top' && key !== '$skiptoken' && typeof value === 'string') params.set(key, value);
  }
  params.set('$top', String(top));
  params.set('$skiptoken', String(beforeSeq));
  return `${AUDIT_ROUTE}?${params.toString()}`;
}

function present(row: AuditRow, tenantId: string) {
  return {
    seq: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    tenantId,
    actor: { type: row.actor_type, id: row.actor_id },
    sourceIp: row.source_ip,
    action: row.action,
    target:
      row.target_type === null || row.target_id === null
        ? null
        : { type: row.target_type, id: row.target_id },
    outcome: row.outcome,
    reason: row.reason,
    details:
      row.details === null
        ? null
        : (JSON.parse(row.details) as Record<string, string | number | boolean | null>),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
