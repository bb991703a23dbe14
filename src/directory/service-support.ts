/**
 * What every directory service shares: its dependencies, who is acting, the audit wrapper that
 * records each change's outcome, and the mapping of constraint violations to 409.
 */
import type { Kysely } from 'kysely';
import type { AuditActorType, AuditEntry, AuditLog } from '../audit/audit.types.ts';
import type { SecretHasher } from '../identity/credentials/secret-hasher.ts';
import type { Database } from '../platform/db/database.ts';
import type { DatabaseSchema } from '../platform/db/schema.ts';
import { AppError, conflict } from '../platform/errors/app-error.ts';
import type { Outbox } from '../platform/events/outbox.ts';
import type { Logger } from '../platform/logging/logger.ts';

export interface DirectoryDeps {
  readonly database: Database;
  readonly outbox: Outbox;
  readonly audit: AuditLog;
  readonly hasher: SecretHasher;
  readonly logger: Logger;
  /** Clock (epoch ms), for tests. */
  readonly now?: () => number;
}

/** Who makes a change, for the audit log. */
export interface Actor {
  readonly type: AuditActorType;
  readonly id?: string;
  readonly sourceIp?: string;
}

/** Changes Parley makes on its own (first start, first-party apps). */
export const SYSTEM_ACTOR: Actor = { type: 'system' };

type Details = NonNullable<AuditEntry['details']>;

export interface AuditSpec<T> {
  readonly actor: Actor;
  readonly tenantId: string | null;
  readonly action: string;
  /** The target, or how to find it in the result (a created object's id is known only after). */
  readonly target?:
    { readonly type: string; readonly id: string } | ((result: T) => { type: string; id: string });
  readonly details?: Details | ((result: T) => Details);
}

/**
 * Runs a change and records it: success with its target, or failure with the error's code when
 * the change is refused (validation, conflict, last-admin rule). Unexpected errors are not
 * audited as refusals; they are server faults and are logged by the HTTP layer.
 */
export async function audited<T>(audit: AuditLog, spec: AuditSpec<T>, change: () => Promise<T>): Promise<T> {
  const base = {
    tenantId: spec.tenantId,
    actor:
      spec.actor.id === undefined ? { type: spec.actor.type } : { type: spec.actor.type, id: spec.actor.id },
    ...(spec.actor.sourceIp === undefined ? {} : { sourceIp: spec.actor.sourceIp }),
    action: spec.action,
  };
  let result: T;
  try {
    result = await change();
  } catch (error) {
    if (error instanceof AppError) {
      const target = typeof spec.target === 'function' ? undefined : spec.target;
      await audit.record({
        ...base,
        ...(target === undefined ? {} : { target }),
        outcome: 'failure',
        reason: error.code,
      });
    }
    throw error;
  }
  const target = typeof spec.target === 'function' ? spec.target(result) : spec.target;
  const details = typeof spec.details === 'function' ? spec.details(result) : spec.details;
  await audit.record({
    ...base,
    ...(target === undefined ? {} : { target }),
    ...(details === undefined ? {} : { details }),
    outcome: 'success',
  });
  return result;
}

/** Unique or primary-key violation on either engine (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_*). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs `write`, turning a uniqueness violation into 409 with `message`. */
export async function uniquely<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(message);
    throw error;
  }
}

/**
 * Serialises changes that check a tenant-wide count before writing (last global administrator,
 * licence seats): on PostgreSQL the tenant row is locked until commit, so two concurrent
 * transactions cannot both pass the check. SQLite allows one writer at a time already.
 */
export async function lockTenant(
  trx: Kysely<DatabaseSchema>,
  engine: Database['engine'],
  tenantId: string,
): Promise<void> {
  if (engine !== 'postgres') return;
  await trx.selectFrom('tenants').select('id').where('id', '=', tenantId).forUpdate().execute();
}
