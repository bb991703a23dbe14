/**
 * Runs storage tests against both engines on fresh, private databases, so test files can run in
 * parallel. PostgreSQL and Redis are required in CI (`CI=true`: a missing service fails the
 * test) and optional locally (the suite is skipped with a loud message).
 *
 * Environment: PARLEY_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test, an
 * administrative connection used to CREATE/DROP the per-test databases) and
 * PARLEY_TEST_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from '../../src/config/config.ts';
import { openDatabase, type Database, type Engine } from '../../src/platform/db/database.ts';
import { createLogger, type Logger } from '../../src/platform/logging/logger.ts';

const PG_ADMIN_URL = process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A silent logger for tests; pass a level to see output while debugging. */
export function testLogger(level: 'silent' | 'debug' | 'info' | 'warn' = 'silent'): Logger {
  return createLogger({ level });
}

/** A random suffix for database names, Redis channels and key prefixes. */
export function randomSuffix(): string {
  return randomBytes(6).toString('hex');
}

function unavailable(service: string, url: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  const message = `${service} is not reachable at ${redact(url)} (${reason})`;
  if (IN_CI) throw new Error(`${message}; it is required when CI=true`);
  console.error(
    `\n!!! SKIPPING ${service} TESTS: ${message}. Start ${service} or set CI=true to fail instead.\n`,
  );
  return undefined;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

let postgresProbe: Promise<string | undefined> | undefined;

/** The PostgreSQL admin URL, or undefined (locally) when PostgreSQL is down; throws in CI. */
export function requirePostgres(): Promise<string | undefined> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return PG_ADMIN_URL;
    } catch (error) {
      unavailable('PostgreSQL', PG_ADMIN_URL, error);
      return undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresProbe;
}

let redisProbe: Promise<string | undefined> | undefined;

/** The Redis URL, or undefined (locally) when Redis is down; throws in CI. */
export function requireRedis(): Promise<string | undefined> {
  redisProbe ??= (async () => {
    const client = new Redis(REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return REDIS_URL;
    } catch (error) {
      unavailable('Redis', REDIS_URL, error);
      return undefined;
    } finally {
      client.disconnect();
    }
  })();
  return redisProbe;
}

/** A new empty database and the function that removes it. */
export interface FreshDatabase {
  readonly config: Config['database'];
  readonly cleanup: () => Promise<void>;
}

/**
 * Creates a new empty database of the given engine: a SQLite file in a fresh temp directory, or
 * a PostgreSQL database `parley_t_<random>`. For PostgreSQL call `requirePostgres()` first:
 * this throws if PostgreSQL is down.
 */
export async function freshDatabaseConfig(engine: Engine): Promise<FreshDatabase> {
  if (engine === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'parley-t-'));
    return {
      config: { kind: 'sqlite', file: join(dir, 'parley.sqlite') },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = (await requirePostgres()) ?? PG_ADMIN_URL;
  const name = `parley_t_${randomSuffix()}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString(), poolMax: 5 },
    // FORCE (PostgreSQL 13+) disconnects sessions a failed test may have leaked.
    cleanup: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** What a suite registered with `forEachEngine` gets. */
export interface EngineContext {
  readonly engine: Engine;
  /** The suite's own database (created before the suite's tests, removed after). */
  readonly config: () => Config['database'];
  /** Opens a new handle on the suite's database; every handle is closed after the suite. */
  readonly open: () => Promise<Database>;
  /** Another new empty database for a test that needs isolation; removed after the suite. */
  readonly fresh: () => Promise<{
    readonly config: Config['database'];
    readonly open: () => Promise<Database>;
  }>;
}

/**
 * Registers `fn`'s tests once per engine, as suites `<name> [sqlite]` and `<name> [postgres]`.
 * `fn` runs synchronously to register tests; use the context inside tests or hooks.
 */
export function forEachEngine(name: string, fn: (ctx: EngineContext) => void): void {
  for (const engine of ENGINES) {
    void describe(`${name} [${engine}]`, async () => {
      if (engine === 'postgres' && (await requirePostgres()) === undefined) {
        void describe('PostgreSQL unavailable', { skip: 'PostgreSQL is not running' }, () => undefined);
        return;
      }
      const cleanups: (() => Promise<void>)[] = [];
      const handles: Database[] = [];
      let main: FreshDatabase | undefined;
      const openOn = async (config: Config['database']) => {
        const database = await openDatabase(config, testLogger());
        handles.push(database);
        return database;
      };
      const fresh = async () => {
        const created = await freshDatabaseConfig(engine);
        cleanups.push(() => created.cleanup());
        return created;
      };
      before(async () => {
        main = await fresh();
      });
      after(async () => {
        await Promise.all(handles.map((h) => h.close()));
        for (const cleanup of cleanups.reverse()) await cleanup();
      });
      const config = () => {
        if (main === undefined) throw new Error('the suite database is not ready yet: use it inside tests');
        return main.config;
      };
      fn({
        engine,
        config,
        open: () => openOn(config()),
        fresh: async () => {
          const created = await fresh();
          return { config: created.config, open: () => openOn(created.config) };
        },
      });
    });
  }
}
