/**
 * A forward-only migration. There is no `down`: rolling back a deployed schema change is done
 * by writing the next migration, so production never runs untested reverse DDL.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

export interface ParleyMigration {
  /** Sortable, unique and never renamed once released: `NNNN_snake_case`. */
  readonly name: string;
  /**
   * Applies the change. `db` is untyped on purpose: a migration describes the schema as it was at
   * that point in history, not as `DatabaseSchema` says today. Branch on `engine` only where the
   * two engines really differ (auto-increment ids, a few types).
   */
  up(db: Kysely<unknown>, engine: Engine): Promise<void>;
}
