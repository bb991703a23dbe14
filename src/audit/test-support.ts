/**
 * What the audit tests share: a migrated database, the raw table, and the one way to break the
 * append-only guard that tampering tests need (dropping the triggers, as a database owner could).
 */
import { sql } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrator.ts';
import { createLogger } from '../platform/logging/logger.ts';
import type { AuditEntry } from './audit.types.ts';
import type { AuditRow } from './audit.store.ts';

export async function migrated(database: Database): Promise<Database> {
  await migrateToLatest(database, createLogger({ level: 'silent' }));
  return database;
}

/** Every stored row, in chain order. */
export function rawRows(database: Database): Promise<AuditRow[]> {
  return database.db.selectFrom('audit_log').selectAll().orderBy('id', 'asc').execute();
}

/** Drops the append-only triggers, as the database owner could. */
export async function dropAppendOnlyGuard(database: Database): Promise<void> {
  const names =
    database.engine === 'sqlite'
      ? ['audit_log_no_update', 'audit_log_no_delete']
      : ['audit_log_no_update_delete on audit_log', 'audit_log_no_truncate on audit_log'];
  for (const name of names) await sql.raw(`drop trigger ${name}`).execute(database.db);
}

/** A plausible entry; `n` makes it distinct. */
export function sampleEntry(n: number, tenantId: string | null = 'tenant-a'): AuditEntry {
  return {
    tenantId,
    actor: { type: 'user', id: `user-${n}` },
    sourceIp: '192.0.2.10',
    action: n % 2 === 0 ? 'signin.password' : 'user.disabled',
    target: { type: 'user', id: `target-${n}` },
    outcome: n % 3 === 0 ? 'failure' : 'success',
    ...(n % 3 === 0 ? { reason: 'invalid_credentials' } : {}),
    details: { attempt: n, viaMfa: n % 2 === 0 },
  };
}
