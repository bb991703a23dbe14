/**
 * Applies the static migration list with Kysely's Migrator, forward only.
 *
 * Atomicity and concurrency, per engine:
 * - PostgreSQL: Kysely takes a session advisory lock (`pg_advisory_lock`) and runs all pending
 *   migrations plus their bookkeeping rows in one transaction (PostgreSQL has transactional
 *   DDL). A second process migrating at the same time waits for the lock, then finds the
 *   migrations recorded and applies nothing. A failure rolls back the whole run.
 * - SQLite: Kysely's SQLite adapter neither locks nor uses a transaction, so the run is wrapped
 *   here in `BEGIN IMMEDIATE`, which takes the database write lock up front: a concurrent
 *   migrator in another process waits (busy_timeout) and a failure leaves no partial schema.
 * Migrations therefore must not open transactions of their own.
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Logger } from '../logging/logger.ts';
import type { Database, Engine } from './database.ts';
import { migrations, type ParleyMigration } from './migrations/index.ts';
import type { DatabaseSchema } from './schema.ts';

/** Kysely's bookkeeping tables. Never rename: a new name would re-run every migration. */
const MIGRATION_TABLE = 'parley_migration';
const MIGRATION_LOCK_TABLE = 'parley_migration_lock';

/** Thrown when migrating fails; `migration` names the failing one, `cause` holds the database error. */
export class MigrationError extends Error {
  readonly migration: string | undefined;
  constructor(message: string, migration: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'MigrationError';
    this.migration = migration;
  }
}

/** Runs every migration not yet applied, in order. Returns the names applied by this call. */
export function migrateToLatest(database: Database, logger: Logger): Promise<{ applied: string[] }> {
  return runMigrations(database, logger, migrations);
}

/** `migrateToLatest` with an explicit list; exported for tests of failure handling. */
export async function runMigrations(
  database: Database,
  logger: Logger,
  list: readonly ParleyMigration[],
): Promise<{ applied: string[] }> {
  const applied =
    database.engine === 'sqlite'
      ? await database.db.connection().execute((conn) => inSqliteWriteTransaction(conn, list))
      : await migrate(database.db, database.engine, list);
  if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  else logger.debug('database schema is up to date');
  return { applied };
}

async function inSqliteWriteTransaction(
  conn: Kysely<DatabaseSchema>,
  list: readonly ParleyMigration[],
): Promise<string[]> {
  await sql`begin immediate`.execute(conn);
  try {
    const applied = await migrate(conn, 'sqlite', list);
    await sql`commit`.execute(conn);
    return applied;
  } catch (error) {
    await sql`rollback`.execute(conn);
    throw error;
  }
}

/** Names of migrations in the static list not yet applied to `database` (read-only; takes no lock). */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const infos = await createMigrator(database.db, database.engine, migrations).getMigrations();
  return infos.filter((info) => info.executedAt === undefined).map((info) => info.name);
}

function createMigrator(
  db: Kysely<DatabaseSchema>,
  engine: Engine,
  list: readonly ParleyMigration[],
): Migrator {
  const provider: MigrationProvider = {
    getMigrations: () => {
      const record: Record<string, Migration> = {};
      for (const migration of list) {
        record[migration.name] = { up: (kdb: Kysely<unknown>) => migration.up(kdb, engine) };
      }
      return Promise.resolve(record);
    },
  };
  return new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

async function migrate(db: Kysely<DatabaseSchema>, engine: Engine, list: readonly ParleyMigration[]) {
  const migrator = createMigrator(db, engine, list);
  // Kysely's migrator never throws; it reports the error in the result set.
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const where = failed === undefined ? 'before any migration ran' : `in migration ${failed}`;
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(`Database migration failed ${where}: ${reason}`, failed, error);
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
