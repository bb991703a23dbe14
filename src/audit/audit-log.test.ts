/**
 * The audit log on both engines: records chain from the genesis value, concurrent writers (in one
 * process and, on PostgreSQL, on two nodes) never fork the chain, the database refuses UPDATE and
 * DELETE, hostile text is neutralised, secrets never reach the table, and a database failure
 * rejects while a malformed entry does not.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { forEachEngine, testLogger } from '../../test/harness/engines.ts';
import type { Database } from '../platform/db/database.ts';
import { createAuditLog } from './audit-log.ts';
import { GENESIS_HASH } from './audit-hash.ts';
import { verifyAuditChain } from './audit-verify.ts';
import { createAuditStore } from './audit.store.ts';
import type { AuditEntry } from './audit.types.ts';
import { migrated, rawRows, sampleEntry } from './test-support.ts';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

/** A JWT-shaped string (header `{"alg":"RS256","typ":"JWT"}`). */
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJzY3AiOiJVc2VyLlJlYWQifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2';
const PASSWORD = 'Tr0ub4dor&3-correct-horse';
const CLIENT_SECRET = 'Q8x~aZ3kR9mW2pL7vN4tY6cB1dF5gH0jK';
const AUTH_CODE = 'SplxlOBeZQQYbYS6WxSbIA0aB1cD2eF3';
const DB_PASSWORD = 'pgS3cretPw';

/** Nothing a terminal or a line-based viewer would interpret. */
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

forEachEngine('audit log', (ctx) => {
  const open = async (): Promise<Database> => migrated(await ctx.open());
  const fresh = async (): Promise<Database> => migrated(await (await ctx.fresh()).open());

  it('records every field with its UTC time and chains each record to the one before', async () => {
    const database = await fresh();
    let clock = T0;
    const audit = createAuditLog({ database, logger: testLogger(), now: () => (clock += 1000) });
    for (let n = 1; n <= 3; n++) await audit.record(sampleEntry(n));
    await audit.record({
      tenantId: null,
      actor: { type: 'system' },
      action: 'installation.started',
      outcome: 'success',
    });

    const rows = await rawRows(database);
    assert.equal(rows.length, 4);
    assert.equal(rows[0]?.prev_hash, GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]?.prev_hash, rows[i - 1]?.hash);
    assert.equal(new Set(rows.map((r) => r.hash)).size, 4);
    assert.deepEqual(
      { ...rows[2], id: undefined, prev_hash: undefined, hash: undefined },
      {
        id: undefined,
        occurred_at: T0 + 3000,
        tenant_id: 'tenant-a',
        actor_type: 'user',
        actor_id: 'user-3',
        source_ip: '192.0.2.10',
        action: 'user.disabled',
        target_type: 'user',
        target_id: 'target-3',
        outcome: 'failure',
        reason: 'invalid_credentials',
        details: '{"attempt":3,"viaMfa":false}',
        prev_hash: undefined,
        hash: undefined,
      },
    );
    assert.deepEqual(
      [rows[3]?.tenant_id, rows[3]?.actor_id, rows[3]?.target_type, rows[3]?.details, rows[3]?.source_ip],
      [null, null, null, null, null],
    );
    assert.deepEqual(await verifyAuditChain(database), { ok: true, records: 4, headHash: rows[3]?.hash });
  });

  it('keeps a single chain under 50 concurrent appends', async () => {
    const database = await fresh();
    const audit = createAuditLog({ database, logger: testLogger() });
    await Promise.all(Array.from({ length: 50 }, (_, n) => audit.record(sampleEntry(n))));
    const rows = await rawRows(database);
    assert.equal(rows.length, 50);
    // A fork would show as two records naming the same predecessor.
    assert.equal(new Set(rows.map((r) => r.prev_hash)).size, 50);
    const verdict = await verifyAuditChain(database);
    assert.equal(verdict.ok, true);
    assert.equal(verdict.records, 50);
  });

  if (ctx.engine === 'postgres') {
    it('keeps a single chain when two nodes append at the same time', async () => {
      const created = await ctx.fresh();
      const nodeA = await migrated(await created.open());
      const nodeB = await created.open();
      const logA = createAuditLog({ database: nodeA, logger: testLogger() });
      const logB = createAuditLog({ database: nodeB, logger: testLogger() });
      await Promise.all(
        Array.from({ length: 40 }, (_, n) => (n % 2 === 0 ? logA : logB).record(sampleEntry(n))),
      );
      const rows = await rawRows(nodeA);
      assert.equal(rows.length, 40);
      assert.equal(new Set(rows.map((r) => r.prev_hash)).size, 40);
      assert.equal((await verifyAuditChain(nodeB)).ok, true);
    });
  }

  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    const database = await open();
    const audit = createAuditLog({ database, logger: testLogger() });
    await audit.record(sampleEntry(1));
    await audit.record(sampleEntry(2));
    const before = await rawRows(database);
    await assert.rejects(
      database.db.updateTable('audit_log').set({ outcome: 'success', reason: null }).execute(),
      /audit_log is append-only/,
    );
    await assert.rejects(
      database.db
        .updateTable('audit_log')
        .set({ hash: 'x' })
        .where('id', '=', before[0]?.id ?? 0)
        .execute(),
      /audit_log is append-only/,
    );
    await assert.rejects(database.db.deleteFrom('audit_log').execute(), /audit_log is append-only/);
    await assert.rejects(
      database.db
        .deleteFrom('audit_log')
        .where('id', '=', before[1]?.id ?? 0)
        .execute(),
      /audit_log is append-only/,
    );
    if (database.engine === 'postgres') {
      await assert.rejects(sql`truncate audit_log`.execute(database.db), /audit_log is append-only/);
    }
    assert.deepEqual(await rawRows(database), before);
  });

  it('neutralises CR, LF, other controls, ANSI escapes and bidi overrides in every field', async () => {
    const database = await fresh();
    const audit = createAuditLog({ database, logger: testLogger() });
    const hostile =
      'x\r\n2025-01-01 admin signin.password success\u001b[2J\u001b]0;owned\u0007\u009b31m\u2028\u202e\u0000';
    await audit.record({
      tenantId: `t${hostile}`,
      actor: { type: 'user', id: `u${hostile}` },
      sourceIp: `10.0.0.1${hostile}`,
      action: `signin.password${hostile}`,
      target: { type: `user${hostile}`, id: `id${hostile}` },
      outcome: 'failure',
      reason: `bad${hostile}`,
      details: { [`k${hostile}`]: `v${hostile}`, note: 'line1\nline2' },
    });
    const [row] = await rawRows(database);
    assert.ok(row);
    for (const [column, value] of Object.entries(row)) {
      if (typeof value === 'string') assert.doesNotMatch(value, UNSAFE, `column ${column}`);
    }
    assert.ok(row.action.startsWith('signin.passwordx\\r\\n2025-01-01 admin'));
    assert.match(row.reason ?? '', /\\u001b\[2J\\u001b\]0;owned\\u0007\\u009b31m\\u2028\\u202e\\u0000$/);
    assert.deepEqual(
      Object.values(JSON.parse(row.details ?? '{}') as object).includes('line1\\nline2'),
      true,
    );
    assert.equal((await verifyAuditChain(database)).ok, true);
  });

  it('never stores tokens, passwords, secrets or codes (the raw table is grepped)', async () => {
    const database = await fresh();
    const audit = createAuditLog({ database, logger: testLogger(), now: () => T0 });
    await audit.record({
      tenantId: 'tenant-a',
      actor: { type: 'user', id: 'user-1' },
      action: 'signin.password',
      target: { type: 'token', id: JWT },
      outcome: 'failure',
      reason: `rejected Bearer ${JWT}`,
      details: {
        password: PASSWORD,
        newPassword: PASSWORD,
        client_secret: CLIENT_SECRET,
        accessToken: JWT,
        refresh_token: 'opaque-refresh',
        code: 123456,
        recoveryCodes: 'abcd-efgh-ijkl',
        authorization: `Basic ${Buffer.from(`app:${PASSWORD}`).toString('base64')}`,
        Cookie: 'sid=s3ss10n',
        samlAssertion: '<saml:Assertion/>',
        hasPassword: true,
        header: `Bearer ${JWT}`,
        idTokenHint: JWT,
        opaque: CLIENT_SECRET,
        note: `the caller sent ${JWT} and more`,
        callback: `https://app.example/cb?state=xyz&code=${AUTH_CODE}`,
        database: `postgres://parley:${DB_PASSWORD}@db.internal/parley`,
        method: 'GET',
        skuId: 'd1f2c3b4-0000-4000-8000-000000000001',
        thumbprint: 'a3f1c2d4e5b6a7980a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071',
      },
    });
    const raw = JSON.stringify(await rawRows(database));
    for (const secret of [
      PASSWORD,
      CLIENT_SECRET,
      JWT,
      'opaque-refresh',
      '123456',
      'abcd-efgh',
      's3ss10n',
      AUTH_CODE,
      DB_PASSWORD,
      'saml:Assertion',
      Buffer.from(`app:${PASSWORD}`).toString('base64'),
    ]) {
      assert.equal(raw.includes(secret), false, `the table contains ${secret.slice(0, 12)}…`);
    }
    // JWT segments on their own must not survive either.
    for (const segment of JWT.split('.')) assert.equal(raw.includes(segment), false);
    const [row] = await rawRows(database);
    assert.ok(row);
    const details = JSON.parse(row.details ?? '{}') as Record<string, unknown>;
    assert.equal(details['password'], '[redacted]');
    assert.equal(details['code'], '[redacted]');
    assert.equal(details['hasPassword'], true, 'a boolean under a secret key is kept');
    assert.equal(details['method'], 'GET');
    assert.equal(details['skuId'], 'd1f2c3b4-0000-4000-8000-000000000001', 'UUIDs are ids, kept');
    assert.match(String(details['thumbprint']), /^a3f1c2d4/, 'hex digests are kept');
    assert.equal(details['note'], 'the caller sent [redacted] and more');
    assert.equal(details['callback'], 'https://app.example/cb?state=xyz&code=[redacted]');
    assert.equal(details['database'], 'postgres://[redacted]@db.internal/parley');
    assert.equal(row.target_id, '[redacted]');
    assert.equal(row.reason, 'rejected Bearer [redacted]');
    assert.equal((await verifyAuditChain(database)).ok, true);
  });

  // The time limit catches regular expressions that backtrack on long input (ReDoS).
  it('records a malformed entry instead of throwing into the caller', { timeout: 10_000 }, async () => {
    const database = await fresh();
    const audit = createAuditLog({ database, logger: testLogger() });
    const throwing = {
      tenantId: 't',
      actor: { type: 'user' },
      get action(): string {
        throw new Error('boom');
      },
      outcome: 'success',
    } as AuditEntry;
    await audit.record(throwing);
    const wrongTypes = {
      tenantId: 42,
      actor: null,
      action: '',
      target: { type: 7 },
      outcome: 'maybe',
      details: { nested: { a: 1 }, nan: Number.NaN, big: 10n, list: [1], fn: () => 1, missing: undefined },
    } as unknown as AuditEntry;
    await audit.record(wrongTypes);
    const tooBig: AuditEntry = {
      tenantId: 't'.repeat(10_000),
      actor: { type: 'user', id: 'u'.repeat(10_000) },
      action: 'a'.repeat(10_000),
      outcome: 'success',
      details: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(10_000)])),
    };
    await audit.record(tooBig);
    // Lone surrogates would be stored as U+FFFD by the driver and break the hash; emoji must survive.
    await audit.record({
      tenantId: 't',
      actor: { type: 'user', id: 'lone\uD800 😀' },
      action: 'x',
      outcome: 'success',
    });

    const [malformed, coerced, capped, unicode] = await rawRows(database);
    assert.equal(malformed?.action, 'audit.entry_malformed');
    assert.equal(malformed.outcome, 'failure');
    assert.deepEqual(
      [coerced?.tenant_id, coerced?.actor_type, coerced?.action, coerced?.outcome, coerced?.target_id],
      ['42', 'anonymous', 'unknown', 'failure', 'unknown'],
    );
    assert.deepEqual(JSON.parse(coerced?.details ?? '{}'), {
      big: '10',
      fn: '[unsupported]',
      list: '[unsupported]',
      nan: null,
      nested: '[unsupported]',
    });
    assert.ok((capped?.tenant_id?.length ?? 0) <= 100 && (capped?.action.length ?? 0) <= 100);
    assert.ok((capped?.details?.length ?? 0) < 20_000);
    assert.equal((JSON.parse(capped?.details ?? '{}') as Record<string, unknown>)['droppedKeys'], 68);
    assert.equal(unicode?.actor_id, 'lone\uFFFD 😀');
    assert.equal((await verifyAuditChain(database)).ok, true);
  });

  it('rejects when the database fails, so the caller can decide, and recovers after', async () => {
    const created = await ctx.fresh();
    const database = await migrated(await created.open());
    const audit = createAuditLog({ database, logger: testLogger() });
    await audit.record(sampleEntry(1));
    await sql`alter table audit_log rename to audit_log_away`.execute(database.db);
    await assert.rejects(audit.record(sampleEntry(2)), /audit_log/);
    await sql`alter table audit_log_away rename to audit_log`.execute(database.db);
    // A failed append does not block the queue behind it.
    await audit.record(sampleEntry(3));
    assert.deepEqual(
      (await rawRows(database)).map((r) => r.actor_id),
      ['user-1', 'user-3'],
    );
    assert.equal((await verifyAuditChain(database)).ok, true);

    const closed = await created.open();
    const onClosed = createAuditLog({ database: closed, logger: testLogger() });
    await closed.close();
    await assert.rejects(onClosed.record(sampleEntry(4)));
  });

  it('serves one tenant newest first, filtered and paged, never another tenant', async () => {
    const database = await fresh();
    let clock = T0;
    const audit = createAuditLog({ database, logger: testLogger(), now: () => (clock += 1000) });
    for (let n = 1; n <= 12; n++) await audit.record(sampleEntry(n, n % 4 === 0 ? 'tenant-b' : 'tenant-a'));
    await audit.record(sampleEntry(13, null));
    const store = createAuditStore(database);

    const first = await store.listForTenant('tenant-a', { top: 4 });
    assert.deepEqual(
      first.rows.map((r) => r.actor_id),
      ['user-11', 'user-10', 'user-9', 'user-7'],
    );
    assert.ok(first.nextBeforeSeq !== undefined);
    const second = await store.listForTenant('tenant-a', { top: 4, beforeSeq: first.nextBeforeSeq });
    assert.deepEqual(
      second.rows.map((r) => r.actor_id),
      ['user-6', 'user-5', 'user-3', 'user-2'],
    );
    const last = await store.listForTenant('tenant-a', { top: 4, beforeSeq: second.nextBeforeSeq ?? 0 });
    assert.deepEqual(
      last.rows.map((r) => r.actor_id),
      ['user-1'],
    );
    assert.equal(last.nextBeforeSeq, undefined);

    const failures = await store.listForTenant('tenant-a', { top: 50, outcome: 'failure' });
    assert.deepEqual(
      failures.rows.map((r) => r.actor_id),
      ['user-9', 'user-6', 'user-3'],
    );
    const signins = await store.listForTenant('tenant-a', { top: 50, action: 'signin.password' });
    assert.deepEqual(
      signins.rows.map((r) => r.actor_id),
      ['user-10', 'user-6', 'user-2'],
    );
    const window = await store.listForTenant('tenant-a', { top: 50, since: T0 + 2000, until: T0 + 6000 });
    assert.deepEqual(
      window.rows.map((r) => r.actor_id),
      ['user-5', 'user-3', 'user-2'],
    );
    const other = await store.listForTenant('tenant-b', { top: 50 });
    assert.deepEqual(
      other.rows.map((r) => r.tenant_id),
      ['tenant-b', 'tenant-b', 'tenant-b'],
    );
    assert.deepEqual((await store.listForTenant('tenant-c', { top: 50 })).rows, []);
  });
});
