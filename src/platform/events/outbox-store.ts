/**
 * The outbox table's queries: insert, atomic claim, mark published, release, purge.
 *
 * A claim is one UPDATE ... WHERE <claimable> RETURNING, so it is atomic: two publishers can
 * never both claim a row, because the second UPDATE's WHERE no longer matches. On PostgreSQL
 * the candidate rows are chosen with FOR UPDATE SKIP LOCKED, so concurrent relays take disjoint
 * batches instead of queueing behind each other's row locks (and READ COMMITTED re-checks the
 * condition on the latest row version, see "EvalPlanQual" in the PostgreSQL docs on UPDATE).
 * SQLite has one writer at a time, which makes the statement atomic on its own.
 *
 * Times are epoch milliseconds from the claiming node's clock; the lease is long (30 s)
 * compared with the clock skew of NTP-synchronised nodes.
 */
import type { ExpressionBuilder, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DatabaseSchema } from '../db/schema.ts';

/** A row as read back from the table. */
export interface OutboxRow {
  readonly id: number;
  readonly event_id: string;
  readonly topic: string;
  readonly payload: string;
  readonly created_at: number;
  readonly attempts: number;
}

export interface NewOutboxRow {
  readonly event_id: string;
  readonly topic: string;
  readonly payload: string;
  readonly created_at: number;
}

const ROW_COLUMNS = ['id', 'event_id', 'topic', 'payload', 'created_at', 'attempts'] as const;

/** Inserts rows inside the caller's transaction; returns their ids. */
export async function insertOutboxRows(
  trx: Transaction<DatabaseSchema>,
  rows: readonly NewOutboxRow[],
): Promise<number[]> {
  const inserted = await trx.insertInto('outbox_events').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

/** Claims the given rows if nobody has claimed them yet (the writer's own, right after commit). */
export async function claimOwnRows(
  database: Database,
  ids: readonly number[],
  nodeId: string,
  now: number,
): Promise<OutboxRow[]> {
  const rows = await database.db
    .updateTable('outbox_events')
    .set((eb) => ({ claimed_at: now, claimed_by: nodeId, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', ids)
    .where('claimed_at', 'is', null)
    .where('published_at', 'is', null)
    .returning(ROW_COLUMNS)
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

export interface ClaimWindow {
  /** Unclaimed rows younger than this are left to their writer. */
  readonly graceMs: number;
  /** Claims older than this, still unpublished, belong to a dead publisher and are taken over. */
  readonly leaseMs: number;
}

/**
 * Claims up to `limit` rows that nobody is publishing: unclaimed rows older than the grace
 * period (the writer died between commit and claim, or is far behind) and rows whose claim
 * expired (the publisher died between claim and mark). Lowest ids first.
 */
export async function claimStaleRows(
  database: Database,
  nodeId: string,
  now: number,
  window: ClaimWindow,
  limit: number,
): Promise<OutboxRow[]> {
  const claimable = (eb: ExpressionBuilder<DatabaseSchema, 'outbox_events'>) =>
    eb.and([
      eb('published_at', 'is', null),
      eb.or([
        eb.and([eb('claimed_at', 'is', null), eb('created_at', '<=', now - window.graceMs)]),
        eb('claimed_at', '<=', now - window.leaseMs),
      ]),
    ]);
  const base = database.db
    .selectFrom('outbox_events')
    .select('id')
    .where(claimable)
    .orderBy('id')
    .limit(limit);
  const candidates = database.engine === 'postgres' ? base.forUpdate().skipLocked() : base;
  const rows = await database.db
    .updateTable('outbox_events')
    .set((eb) => ({ claimed_at: now, claimed_by: nodeId, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', candidates)
    // Repeated so the UPDATE itself only ever matches claimable rows, whatever the subquery saw.
    .where(claimable)
    .returning(ROW_COLUMNS)
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

export async function markPublished(database: Database, ids: readonly number[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await database.db.updateTable('outbox_events').set({ published_at: now }).where('id', 'in', ids).execute();
}

/** Gives up our claim on rows we failed to publish, so any relay retries them without waiting for the lease. */
export async function releaseClaims(
  database: Database,
  ids: readonly number[],
  nodeId: string,
): Promise<void> {
  if (ids.length === 0) return;
  await database.db
    .updateTable('outbox_events')
    .set({ claimed_at: null, claimed_by: null })
    .where('id', 'in', ids)
    .where('claimed_by', '=', nodeId)
    .where('published_at', 'is', null)
    .execute();
}

/** Deletes rows published before `before`; returns how many. */
export async function purgePublished(database: Database, before: number): Promise<number> {
  const result = await database.db
    .deleteFrom('outbox_events')
    .where('published_at', 'is not', null)
    .where('published_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
