import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { it } from 'node:test';
import { sql } from 'kysely';
import { forEachEngine, testLogger } from '../../../test/harness/engines.ts';
import { openDatabase } from './database.ts';

forEachEngine('openDatabase', (ctx) => {
  void it('answers ping and closes idempotently', async () => {
    const database = await ctx.open();
    assert.equal(database.engine, ctx.engine);
    await database.ping();
    await database.close();
    await database.close();
    await assert.rejects(database.ping());
  });

  if (ctx.engine === 'sqlite') {
    void it('uses WAL, foreign keys, busy timeout and NORMAL sync, in a 0700 directory', async () => {
      const database = await ctx.open();
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(
          database.db,
        );
        return Object.values(rows[0] ?? {})[0];
      };
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), 5000);
      assert.equal(await pragma('synchronous'), 1); // 1 = NORMAL
      const config = ctx.config();
      assert.equal(config.kind, 'sqlite');
      const mode = (await stat(dirname(config.file))).mode & 0o777;
      assert.equal(mode, 0o700);
    });
  }

  if (ctx.engine === 'postgres') {
    void it('returns int8 as number and text as string', async () => {
      const database = await ctx.open();
      const { rows } = await sql<{
        n: unknown;
        c: unknown;
      }>`select 9007199254740991::int8 as n, count(*) as c from (values (1), (2)) v(x)`.execute(database.db);
      assert.deepEqual(rows[0], { n: 9007199254740991, c: 2 });
    });
  }
});

void it('rejects an unreachable PostgreSQL with a clear error', async () => {
  await assert.rejects(
    openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/nope', poolMax: 1 }, testLogger()),
    /Cannot reach the PostgreSQL database/,
  );
});
