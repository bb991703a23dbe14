/**
 * Transactional outbox (https://microservices.io/patterns/data/transactional-outbox.html):
 * a domain event is written in the same database transaction as the data it describes and is
 * published to the bus only after that transaction commits. A rolled-back transaction leaves
 * neither data nor event.
 *
 * Publication, and what "exactly once" means here:
 * - After commit the writing process claims its own rows (an atomic UPDATE that only matches
 *   unclaimed rows), publishes them in id order and then marks them published.
 * - `drain()` (run periodically by OutboxRelay) claims what nobody is publishing: unclaimed rows
 *   older than a grace period (writer died after commit) and rows whose claim is older than the
 *   lease without `published_at` (publisher died after claiming).
 * - A claim is atomic, so among live publishers a row is published once.
 * - A crash (or a lost database connection) between a successful publish and the mark leaves a
 *   claimed, unmarked row: after the lease it is published again. That second publication
 *   carries the same event id, and every bus drops an event id its process has already
 *   delivered (bounded LRU), so handlers still run once per process unless the process itself
 *   restarted in between. Consumers that must never repeat a side effect check the event id.
 * - Order: one process publishes through a single queue, so its events leave in commit order,
 *   and claims are ordered by id. Events taken over from a dead publisher may arrive after
 *   newer ones.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DatabaseSchema } from '../db/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { DomainEvent, EventBus } from './event-bus.ts';
import {
  claimOwnRows,
  claimStaleRows,
  insertOutboxRows,
  markPublished,
  purgePublished,
  releaseClaims,
  type NewOutboxRow,
  type OutboxRow,
} from './outbox-store.ts';

/** Records events inside an outbox transaction. */
export interface EventRecorder {
  /**
   * Adds an event to the current transaction. `payload` must be JSON data: it is stored as JSON
   * and subscribers receive the parsed copy (a Date arrives as its ISO string).
   */
  record<P>(topic: string, payload: P): DomainEvent<P>;
}

export interface OutboxOptions {
  /** A claim older than this without publication is taken over. Default 30 s. */
  readonly leaseMs?: number;
  /** Unclaimed rows younger than this are left to their writer. Default 5 s. */
  readonly graceMs?: number;
  /** Published rows are kept this long (diagnostics), then deleted by drain(). Default 24 h. */
  readonly retentionMs?: number;
  /** Rows claimed per query in drain(). Default 100. */
  readonly batchSize?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

const MAX_TOPIC_LENGTH = 200;
/** Purging is cheap but need not run on every drain. */
const PURGE_INTERVAL_MS = 60_000;

export class Outbox {
  readonly #database: Database;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #nodeId: string;
  readonly #leaseMs: number;
  readonly #graceMs: number;
  readonly #retentionMs: number;
  readonly #batchSize: number;
  readonly #now: () => number;
  /** Every publication of this process runs on this queue, one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();
  #lastPurge = Number.NEGATIVE_INFINITY;

  constructor(
    database: Database,
    bus: EventBus,
    logger: Logger,
    nodeId: string,
    options: OutboxOptions = {},
  ) {
    this.#database = database;
    this.#bus = bus;
    this.#logger = logger.child({ component: 'outbox' });
    this.#nodeId = nodeId;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#graceMs = options.graceMs ?? 5_000;
    this.#retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    this.#batchSize = options.batchSize ?? 100;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Runs `fn` in one database transaction; events recorded through `events.record(topic,
   * payload)` are inserted in that same transaction and published after commit, never on
   * rollback. Resolves after commit without waiting for publication (see `idle()`); a failed
   * publication is retried by the relay and never turns a committed write into an error.
   * On SQLite, `fn` must use `trx`, not `database.db`: the one connection is busy with `trx`.
   */
  async transaction<T>(
    fn: (trx: Transaction<DatabaseSchema>, events: EventRecorder) => Promise<T>,
  ): Promise<T> {
    const pending: NewOutboxRow[] = [];
    let open = true;
    const recorder: EventRecorder = {
      record: <P>(topic: string, payload: P): DomainEvent<P> => {
        if (!open) throw new Error('events.record() called after its transaction finished');
        if (topic === '' || topic === '*' || topic.length > MAX_TOPIC_LENGTH)
          throw new TypeError(`invalid topic "${topic}"`);
        const json = JSON.stringify(payload);
        if (typeof json !== 'string') throw new TypeError(`payload of ${topic} is not JSON-serialisable`);
        const createdAt = this.#now();
        const event: DomainEvent<P> = {
          id: randomUUID(),
          topic,
          payload,
          occurredAt: new Date(createdAt).toISOString(),
        };
        pending.push({ event_id: event.id, topic, payload: json, created_at: createdAt });
        return event;
      },
    };
    let ids: number[] = [];
    const result = await this.#database.db
      .transaction()
      .execute(async (trx) => {
        const value = await fn(trx, recorder);
        open = false;
        if (pending.length > 0) ids = await insertOutboxRows(trx, pending);
        return value;
      })
      .finally(() => {
        open = false;
      });
    if (ids.length > 0) {
      this.#enqueue(() => this.#publishOwn(ids)).catch((error: unknown) => {
        // The rows stay unpublished (or claimed until the lease ends); the relay publishes them.
        this.#logger.warn(
          { err: error, rows: ids.length },
          'publishing after commit failed; the relay will retry',
        );
      });
    }
    return result;
  }

  /**
   * Claims and publishes whatever nobody is publishing (crash leftovers, other processes' stale
   * claims) and deletes published rows older than the retention window. Returns how many events
   * were published.
   */
  drain(): Promise<number> {
    return this.#enqueue(async () => {
      await this.#purgeIfDue();
      let total = 0;
      for (;;) {
        const rows = await claimStaleRows(
          this.#database,
          this.#nodeId,
          this.#now(),
          { graceMs: this.#graceMs, leaseMs: this.#leaseMs },
          this.#batchSize,
        );
        if (rows.length === 0) break;
        const reclaimed = rows.filter((r) => r.attempts > 1).length;
        if (reclaimed > 0)
          this.#logger.warn({ reclaimed }, 'republishing outbox events of a publisher that stopped');
        const published = await this.#publishRows(rows);
        total += published;
        if (published < rows.length || rows.length < this.#batchSize) break;
      }
      return total;
    });
  }

  /** Resolves when every publication started so far has finished (for graceful shutdown). */
  async idle(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.#queue;
      await current.catch(() => undefined);
    } while (current !== this.#queue);
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #publishOwn(ids: readonly number[]): Promise<void> {
    const rows = await claimOwnRows(this.#database, ids, this.#nodeId, this.#now());
    await this.#publishRows(rows);
  }

  /** Publishes claimed rows in order until one fails; marks the published; releases the rest. */
  async #publishRows(rows: readonly OutboxRow[]): Promise<number> {
    const published: number[] = [];
    try {
      for (const row of rows) {
        await this.#bus.publish(toEvent(row));
        published.push(row.id);
      }
    } catch (error) {
      this.#logger.warn(
        { err: error, unpublished: rows.length - published.length },
        'event bus publish failed',
      );
      const done = new Set(published);
      const failed = rows.filter((r) => !done.has(r.id)).map((r) => r.id);
      await releaseClaims(this.#database, failed, this.#nodeId).catch((releaseError: unknown) => {
        this.#logger.warn(
          { err: releaseError },
          'releasing outbox claims failed; they expire with the lease',
        );
      });
    }
    await markPublished(this.#database, published, this.#now());
    return published.length;
  }

  async #purgeIfDue(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastPurge < PURGE_INTERVAL_MS) return;
    this.#lastPurge = now;
    const deleted = await purgePublished(this.#database, now - this.#retentionMs);
    if (deleted > 0) this.#logger.debug({ deleted }, 'purged published outbox events');
  }
}

function toEvent(row: OutboxRow): DomainEvent {
  return {
    id: row.event_id,
    topic: row.topic,
    payload: JSON.parse(row.payload) as unknown,
    occurredAt: new Date(row.created_at).toISOString(),
  };
}
