/**
 * Kysely table types for every table Parley owns. A domain module adds its tables here together
 * with the migration that creates them.
 *
 * Conventions (identical on SQLite and PostgreSQL so one query works on both):
 * - Timestamps are integer milliseconds since the Unix epoch (UTC), column type bigint. Integers
 *   compare, index and sort the same way on both engines, unlike SQLite's text dates versus
 *   PostgreSQL's timestamptz (which the driver would turn into `Date` objects on one engine only).
 * - Auto-increment ids are bigint; the PostgreSQL driver is configured to return int8 as `number`
 *   (see database.ts), so rows read back look the same on both engines.
 * - JSON is stored as text and parsed by the owning module.
 */
import type { Generated } from 'kysely';

/** Transactional outbox: domain events written with the data, published after commit. */
export interface OutboxEventsTable {
  id: Generated<number>;
  /** UUID of the event; the buses deduplicate deliveries by it. */
  event_id: string;
  topic: string;
  /** The event payload as JSON text. */
  payload: string;
  created_at: number;
  /** When a publisher claimed the row; a claim older than the lease may be taken over. */
  claimed_at: number | null;
  /** Node id of the claiming publisher (diagnostics only). */
  claimed_by: string | null;
  published_at: number | null;
  /** How many times the row has been claimed. More than one means a publisher died mid-way. */
  attempts: Generated<number>;
}

export interface DatabaseSchema {
  outbox_events: OutboxEventsTable;
}
