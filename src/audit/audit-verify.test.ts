/**
 * Verification end to end on both engines: an intact chain verifies across page boundaries, and
 * every kind of tampering (an edited field, an edited field with a recomputed hash, a removed
 * middle or first record) is found by `verifyAuditChain` and by `parley audit verify`.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { forEachEngine, testLogger } from '../../test/harness/engines.ts';
import { runParley } from '../../test/harness/process.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../platform/db/database.ts';
import { createAuditLog } from './audit-log.ts';
import { GENESIS_HASH, recordHash } from './audit-hash.ts';
import { verifyAuditChain } from './audit-verify.ts';
import { dropAppendOnlyGuard, migrated, rawRows, sampleEntry } from './test-support.ts';

/** Runs `parley audit verify` against `config`, as an operator would. */
async function cliVerify(config: Config['database']) {
  const dataDir =
    config.kind === 'sqlite' ? dirname(config.file) : await mkdtemp(join(tmpdir(), 'parley-av-'));
  try {
    return await runParley(['audit', 'verify'], {
      PARLEY_DATA_DIR: dataDir,
      PARLEY_LOG_LEVEL: 'warn',
      ...(config.kind === 'postgres' ? { DATABASE_URL: config.url } : {}),
    });
  } finally {
    if (config.kind === 'postgres') await rm(dataDir, { recursive: true, force: true });
  }
}

forEachEngine('audit verify', (ctx) => {
  /** A fresh database with `count` records. */
  const withRecords = async (count: number) => {
    const created = await ctx.fresh();
    const database = await migrated(await created.open());
    const audit = createAuditLog({ database, logger: testLogger() });
    for (let n = 1; n <= count; n++) await audit.record(sampleEntry(n));
    return { config: created.config, database, rows: await rawRows(database) };
  };
  const idAt = (rows: readonly { id: number }[], index: number) => {
    const row = rows[index];
    assert.ok(row);
    return row.id;
  };
  const tamper = async (database: Database, change: (db: Database['db']) => Promise<unknown>) => {
    await dropAppendOnlyGuard(database);
    await change(database.db);
  };

  it('verifies an empty log and an intact chain across page boundaries, and the CLI agrees', async () => {
    const empty = await withRecords(0);
    assert.deepEqual(await verifyAuditChain(empty.database), {
      ok: true,
      records: 0,
      headHash: GENESIS_HASH,
    });

    const { config, database, rows } = await withRecords(7);
    for (const pageSize of [1, 3, 7, 500]) {
      assert.deepEqual(await verifyAuditChain(database, { pageSize }), {
        ok: true,
        records: 7,
        headHash: rows[6]?.hash,
      });
    }
    const cli = await cliVerify(config);
    assert.equal(cli.code, 0, cli.stdout + cli.stderr);
    assert.equal(cli.stdout.trim(), `audit log intact: 7 records (head ${rows[6]?.hash ?? ''})`);
  });

  it('detects an edited field, names the record, and the CLI exits 1', async () => {
    const { config, database, rows } = await withRecords(6);
    const target = idAt(rows, 2);
    assert.equal(rows[2]?.outcome, 'failure');
    await tamper(database, (db) =>
      db
        .updateTable('audit_log')
        .set({ outcome: 'success', reason: null })
        .where('id', '=', target)
        .execute(),
    );
    assert.deepEqual(await verifyAuditChain(database, { pageSize: 2 }), {
      ok: false,
      records: 2,
      firstBadSeq: target,
      reason: 'hash_mismatch',
    });
    const cli = await cliVerify(config);
    assert.equal(cli.code, 1, cli.stdout + cli.stderr);
    assert.match(
      cli.stdout,
      new RegExp(`audit log TAMPERED: record ${target} fails: its fields do not match`),
    );
    assert.match(cli.stdout, /2 records before it are intact/);
  });

  it('detects an edited field whose hash was recomputed, at the next record', async () => {
    const { database, rows } = await withRecords(5);
    const edited = rows[1];
    assert.ok(edited);
    const forged = { ...edited, actor_id: 'someone-else' };
    await tamper(database, (db) =>
      db
        .updateTable('audit_log')
        .set({ actor_id: forged.actor_id, hash: recordHash(forged, forged.prev_hash) })
        .where('id', '=', edited.id)
        .execute(),
    );
    assert.deepEqual(await verifyAuditChain(database), {
      ok: false,
      records: 2,
      firstBadSeq: idAt(rows, 2),
      reason: 'chain_broken',
    });
  });

  it('detects a removed middle record and a removed first record; the CLI names them', async () => {
    const middle = await withRecords(5);
    await tamper(middle.database, (db) =>
      db.deleteFrom('audit_log').where('id', '=', idAt(middle.rows, 2)).execute(),
    );
    assert.deepEqual(await verifyAuditChain(middle.database), {
      ok: false,
      records: 2,
      firstBadSeq: idAt(middle.rows, 3),
      reason: 'chain_broken',
    });
    const middleCli = await cliVerify(middle.config);
    assert.equal(middleCli.code, 1);
    assert.match(middleCli.stdout, new RegExp(`record ${idAt(middle.rows, 3)} fails: it does not follow`));

    const first = await withRecords(3);
    await tamper(first.database, (db) =>
      db.deleteFrom('audit_log').where('id', '=', idAt(first.rows, 0)).execute(),
    );
    assert.deepEqual(await verifyAuditChain(first.database), {
      ok: false,
      records: 0,
      firstBadSeq: idAt(first.rows, 1),
      reason: 'chain_broken',
    });
  });

  it('the CLI exits 2 when the audit log cannot be checked', async () => {
    const created = await ctx.fresh();
    // Migrations never ran: there is no audit log yet.
    const unmigrated = await cliVerify(created.config);
    assert.equal(unmigrated.code, 2);
    assert.match(unmigrated.stderr, /run parley migrate/);
    const unreachable = await cliVerify({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:1/none',
      poolMax: 1,
    });
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /Cannot verify the audit log/);
  });
});
