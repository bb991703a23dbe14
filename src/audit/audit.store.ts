/**
 * SQL for the audit log: the serialised append that extends the hash chain, the chain walk used by
 * verification, and the tenant-scoped read for admins. Nothing here updates or deletes; the
 * database refuses both anyway (migration 0003_audit).
 *
 * Appends must never fork the chain (two records naming the same predecessor):
 * - In one process every append on a database handle runs through one promise queue, so only one
 *   append is between "read the last hash" and "insert" at a time, and appends take at most one
 *   pooled connection however many requests are auditing.
 * - PostgreSQL, several nodes: the append transaction takes a transaction-scoped advisory lock
 *   (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS) before reading
 *   the last hash. The lock is released only after commit, and each statement under READ
 *   COMMITTED takes a fresh snapshot, so the next holder reads the row just committed.
 * - SQLite: one writer at a time by design; `BEGIN IMMEDIATE` takes the write lock before the read
 *   (https://sqlite.org/lang_transaction.html), so another process cannot slip in between.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import type { AuditLogTable, DatabaseSchema } from '../platform/db/schema.ts';
import { GENESIS_HASH, recordHash, type AuditFields } from './audit-hash.ts';

/** A stored record, as read back. */
export type AuditRow = Selectable<AuditLogTable>;

/** Key of the PostgreSQL advisory lock that serialises appends cluster-wide (ASCII "audlog"). */
const AUDIT_CHAIN_LOCK_ID = 0x6175646c6f67;

/** Filters of the admin read; all optional, combined with AND. */
export interface AuditQuery {
  readonly top: number;
  /** Only records older than this sequence number (the paging key of the previous page). */
  readonly beforeSeq?: number;
  readonly action?: string;
  readonly outcome?: 'success' | 'failure';
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
}

export interface AuditStore {
  /** Appends one record to the chain; resolves with its sequence number and hash once committed. */
  append(fields: AuditFields): Promise<{ readonly seq: number; readonly hash: string }>;
  /** Up to `limit` records with `id > afterSeq`, in chain order. */
  chainPage(afterSeq: number, limit: number): Promise<readonly AuditRow[]>;
  /** One tenant's records, newest first; never another tenant's or installation-wide ones. */
  listForTenant(
    tenantId: string,
    query: AuditQuery,
  ): Promise<{ readonly rows: readonly AuditRow[]; readonly nextBeforeSeq?: number }>;
}

/** One queue per database handle, shared by every store on it. */
const queues = new WeakMap<Database, { tail: Promise<unknown> }>();

function serialised<T>(database: Database, task: () => Promise<T>): Promise<T> {
  let queue = queues.get(database);
  if (queue === undefined) {
    queue = { tail: Promise.resolve() };
    queues.set(database, queue);
  }
  const run = queue.tail.then(task, task);
  queue.tail = run.catch(() => undefined);
  return run;
}

async function appendIn(db: Kysely<DatabaseSchema>, fields: AuditFields) {
  const last = await db
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = recordHash(fields, prevHash);
  const row = await db
    .insertInto('audit_log')
    .values({ ...fields, prev_hash: prevHash, hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { seq: row.id, hash };
}

function appendPostgres(database: Database, fields: AuditFields) {
  return database.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK_ID)})`.execute(trx);
    return appendIn(trx, fields);
  });
}

function appendSqlite(database: Database, fields: AuditFields) {
  return database.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await appendIn(conn, fields);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

export function createAuditStore(database: Database): AuditStore {
  const db = database.db;
  return {
    append(fields) {
      return serialised(database, () =>
        database.engine === 'postgres' ? appendPostgres(database, fields) : appendSqlite(database, fields),
      );
    },

    chainPage(afterSeq, limit) {
      return db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>', afterSeq)
        .orderBy('id', 'asc')
        .limit(limit)
        .execute();
    },

    async listForTenant(tenantId, query) {
      let q = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
      if (query.beforeSeq !== undefined) q = q.where('id', '<', query.beforeSeq);
      if (query.action !== undefined) q = q.where('action', '=', query.action);
      if (query.outcome !== undefined) q = q.where('outcome', '=', query.outcome);
      if (query.since !== undefined) q = q.where('occurred_at', '>=', query.since);
      if (query.until !== undefined) q = q.where('occurred_at', '<', query.until);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(query.top + 1)
        .execute();
      const page = rows.slice(0, query.top);
      const last = page.at(-1);
      return rows.length > query.top && last !== undefined
        ? { rows: page, nextBeforeSeq: last.id }
        : { rows: page };
    },
  };
}
