/**
 * Opens the one database handle a process uses: embedded SQLite (default, zero setup) or a
 * PostgreSQL pool (production, clusters). Both are reached through the same Kysely API.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool, types as pgTypes, type CustomTypesConfig } from 'pg';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import type { DatabaseSchema } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

/** An open database. */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<DatabaseSchema>;
  /** Cheap liveness check (`SELECT 1`); throws if the database cannot be reached. */
  ping(): Promise<void>;
  /** Closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

/** SQLite waits this long for a competing writer's lock instead of failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * node-postgres returns int8 as a string because it can exceed 2^53. Our int8 columns are ids,
 * counts and epoch-millisecond timestamps, none of which get near 2^53 (9e15: an id sequence at
 * a million rows per second lasts 285 years), so they are returned as numbers, matching what
 * better-sqlite3 returns for the same columns. A value that would lose precision is an error,
 * not silently rounded.
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
}

/** Per-pool type parsers, so the process-wide defaults of node-postgres stay untouched. */
const pgTypeParsers: CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === pgTypes.builtins.INT8 && format !== 'binary'
      ? parseInt8
      : (pgTypes.getTypeParser(oid, format) as unknown),
};

/** Opens (and for SQLite creates) the configured database and checks that it answers. */
export async function openDatabase(target: Config['database'], logger: Logger): Promise<Database> {
  const database = target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target, logger);
  try {
    await database.ping();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new Error(`Cannot reach the ${target.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database`, {
      cause: error,
    });
  }
  logger.info({ engine: database.engine }, 'database opened');
  return database;
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const driver = new SqliteDriver(file);
  // WAL lets readers proceed while a writer commits (https://sqlite.org/wal.html); NORMAL
  // synchronous is durable in WAL mode except for the last commits on power loss, the
  // documented trade-off. Foreign keys are off by default in SQLite for compatibility.
  // busy_timeout first: switching to WAL needs a lock that another process may hold.
  driver.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  driver.pragma('journal_mode = WAL');
  driver.pragma('foreign_keys = ON');
  driver.pragma('synchronous = NORMAL');
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: driver }) });
  return wrap('sqlite', db);
}

function openPostgres(target: { readonly url: string; readonly poolMax: number }, logger: Logger): Database {
  const pool = new Pool({ connectionString: target.url, max: target.poolMax, types: pgTypeParsers });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would kill the
  // process. The pool discards that client and the next query gets a fresh one.
  pool.on('error', (error) => {
    logger.warn({ err: error }, 'idle PostgreSQL connection failed');
  });
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return wrap('postgres', db);
}

function wrap(engine: Engine, db: Kysely<DatabaseSchema>): Database {
  let closing: Promise<void> | undefined;
  return {
    engine,
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}
