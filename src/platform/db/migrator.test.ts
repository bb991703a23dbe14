import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { it } from 'node:test';
import { sql } from 'kysely';
import { forEachEngine, testLogger } from '../../../test/harness/engines.ts';
import { migrations } from './migrations/index.ts';
import { MigrationError, migrateToLatest, pendingMigrations, runMigrations } from './migrator.ts';

const log = testLogger();
const CHILD = new URL('../../../test/fixtures/event-migrate-node.ts', import.meta.url).pathname;
const allNames = migrations.map((m) => m.name);
type MigrationDb = Parameters<(typeof migrations)[number]['up']>[0];

forEachEngine('migrateToLatest', (ctx) => {
  void it('applies every migration to an empty database, then nothing the second time', async () => {
    const { open } = await ctx.fresh();
    const database = await open();
    assert.deepEqual(await pendingMigrations(database), allNames);
    assert.deepEqual(await migrateToLatest(database, log), { applied: allNames });
    assert.deepEqual(await pendingMigrations(database), []);
    assert.deepEqual(await migrateToLatest(database, log), { applied: [] });
    // The outbox table exists with the expected columns and an auto-increment id.
    const inserted = await database.db
      .insertInto('outbox_events')
      .values({ event_id: 'e1', topic: 't', payload: '{}', created_at: Date.now() })
      .returning(['id', 'attempts', 'claimed_at'])
      .executeTakeFirstOrThrow();
    assert.deepEqual(inserted, { id: 1, attempts: 0, claimed_at: null });
    await assert.rejects(
      database.db
        .insertInto('outbox_events')
        .values({ event_id: 'e1', topic: 't', payload: '{}', created_at: Date.now() })
        .execute(),
      'event_id is unique',
    );
  });

  if (ctx.engine === 'postgres') {
    // Two pools in one process. (Two better-sqlite3 handles in one thread cannot wait for each
    // other: the driver is synchronous. SQLite is covered by the two-process test below.)
    void it('is safe when two connections migrate the same empty database at once', async () => {
      const { open } = await ctx.fresh();
      const [a, b] = await Promise.all([open(), open()]);
      const results = await Promise.all([migrateToLatest(a, log), migrateToLatest(b, log)]);
      const applied = results.flatMap((r) => r.applied).sort();
      assert.deepEqual(applied, [...allNames].sort(), 'each migration applied exactly once');
    });
  }

  void it('is safe when two processes migrate the same empty database at once', async () => {
    const { config } = await ctx.fresh();
    const runChild = () =>
      new Promise<{ applied?: string[]; error?: string }>((resolve, reject) => {
        const child = fork(CHILD, [JSON.stringify(config)], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        child.once('message', (m) => {
          resolve(m as { applied?: string[]; error?: string });
        });
        child.once('error', reject);
        child.once('exit', (code) => {
          if (code !== 0) reject(new Error(`migration child exited with ${code}`));
        });
      });
    const results = await Promise.all([runChild(), runChild()]);
    assert.deepEqual(
      results.map((r) => r.error),
      [undefined, undefined],
    );
    const applied = results.flatMap((r) => r.applied ?? []).sort();
    assert.deepEqual(applied, [...allNames].sort(), 'each migration applied exactly once');
  });

  void it('throws a MigrationError naming the failing migration and leaves no partial change', async () => {
    const { open } = await ctx.fresh();
    const database = await open();
    await migrateToLatest(database, log);
    const broken = [
      ...migrations,
      {
        name: '9998_ok_part',
        up: async (db: MigrationDb) => {
          await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
        },
      },
      {
        name: '9999_broken',
        up: async (db: MigrationDb) => {
          await sql`select * from no_such_table`.execute(db);
        },
      },
    ];
    await assert.rejects(runMigrations(database, log, broken), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.equal(error.migration, '9999_broken');
      assert.match(error.message, /9999_broken/);
      return true;
    });
    const tables = await database.db.introspection.getTables();
    assert.ok(!tables.some((t) => t.name === 'half_done'), 'the run rolled back as a whole');
    // The database is still usable and up to date with the real list.
    assert.deepEqual(await migrateToLatest(database, log), { applied: [] });
  });
});
