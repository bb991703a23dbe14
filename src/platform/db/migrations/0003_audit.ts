/**
 * The audit log: one append-only, hash-chained table. Each row carries the hash of the row before
 * it (`prev_hash`) and its own hash over its fields and `prev_hash`, so changing, removing or
 * reordering a row breaks the chain (`parley audit verify`).
 *
 * Append-only is enforced by the database itself, not only by the code that writes: triggers
 * refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) for every client, including a shell on
 * the database. They do not stop the database owner from dropping the triggers; the hash chain is
 * what detects what such a person then changes.
 */
import { sql } from 'kysely';
import type { ParleyMigration } from './types.ts';
import { addAutoIdColumn } from './helpers.ts';

/** The message both engines raise; tests and operators match on it. */
export const AUDIT_APPEND_ONLY_MESSAGE = 'audit_log is append-only';

export const m0003Audit: ParleyMigration = {
  name: '0003_audit',
  async up(db, engine) {
    // `id` is the chain order: appends are serialised (see audit.store.ts), so ids increase in
    // the order records were chained.
    await addAutoIdColumn(db.schema.createTable('audit_log'), engine)
      .addColumn('occurred_at', 'bigint', (c) => c.notNull())
      .addColumn('tenant_id', 'text')
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('source_ip', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      /** JSON object text with sorted keys, exactly as hashed; null when there are no details. */
      .addColumn('details', 'text')
      /** Hex SHA-256 of the previous record; 64 zeros for the first. */
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .execute();
    // The admin read path: one tenant's records, newest first, optionally bounded in time.
    await db.schema.createIndex('audit_log_tenant').on('audit_log').columns(['tenant_id', 'id']).execute();
    await db.schema.createIndex('audit_log_occurred_at').on('audit_log').column('occurred_at').execute();

    if (engine === 'sqlite') {
      // https://sqlite.org/lang_createtrigger.html#raise: RAISE(ABORT) undoes the statement.
      await sql
        .raw(
          `create trigger audit_log_no_update before update on audit_log
           begin select raise(abort, '${AUDIT_APPEND_ONLY_MESSAGE}'); end`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger audit_log_no_delete before delete on audit_log
           begin select raise(abort, '${AUDIT_APPEND_ONLY_MESSAGE}'); end`,
        )
        .execute(db);
      return;
    }
    // SQLSTATE 42501 insufficient_privilege: the operation is not allowed, whoever asks.
    await sql
      .raw(
        `create function audit_log_append_only() returns trigger language plpgsql as $$
         begin
           raise exception '${AUDIT_APPEND_ONLY_MESSAGE}' using errcode = '42501';
         end
         $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger audit_log_no_update_delete before update or delete on audit_log
         for each row execute function audit_log_append_only()`,
      )
      .execute(db);
    // Row triggers do not fire for TRUNCATE; a statement trigger does.
    await sql
      .raw(
        `create trigger audit_log_no_truncate before truncate on audit_log
         for each statement execute function audit_log_append_only()`,
      )
      .execute(db);
  },
};
