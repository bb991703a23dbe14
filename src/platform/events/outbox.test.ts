import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { forEachEngine, testLogger } from '../../../test/harness/engines.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import type { DomainEvent, EventBus } from './event-bus.ts';
import { MemoryEventBus } from './memory-bus.ts';
import { Outbox } from './outbox.ts';
import { OutboxRelay } from './outbox-relay.ts';
import { collect, waitFor } from './test-support.ts';

const log = testLogger();

/** A bus that records every publish call (duplicates included), unlike the deduplicating buses. */
class RecordingBus implements EventBus {
  readonly published: DomainEvent[] = [];
  failNext = 0;
  publish(event: DomainEvent): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error('bus down'));
    }
    this.published.push(event);
    return Promise.resolve();
  }
  subscribe(): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function rows(database: Database) {
  return database.db.selectFrom('outbox_events').selectAll().orderBy('id').execute();
}

/** Inserts an outbox row directly, as a writer that crashed would have left it. */
async function insertLeftover(
  database: Database,
  fields: { createdAgoMs: number; claimedAgoMs?: number; by?: string },
) {
  const now = Date.now();
  const eventId = crypto.randomUUID();
  await database.db
    .insertInto('outbox_events')
    .values({
      event_id: eventId,
      topic: 'test.leftover',
      payload: JSON.stringify({ eventId }),
      created_at: now - fields.createdAgoMs,
      claimed_at: fields.claimedAgoMs === undefined ? null : now - fields.claimedAgoMs,
      claimed_by: fields.by ?? null,
      attempts: fields.claimedAgoMs === undefined ? 0 : 1,
    })
    .execute();
  return eventId;
}

forEachEngine('Outbox', (ctx) => {
  let database: Database;
  before(async () => {
    database = await ctx.open();
    await migrateToLatest(database, log);
  });
  const reset = () => database.db.deleteFrom('outbox_events').execute();

  void it('publishes events after commit, exactly once, in order, and marks them', async () => {
    await reset();
    const bus = new RecordingBus();
    const outbox = new Outbox(database, bus, log, 'node-a');
    let insideCommitted = -1;
    const result = await outbox.transaction(async (trx, events) => {
      events.record('test.one', { n: 1 });
      events.record('test.two', { n: 2, at: new Date(0) });
      insideCommitted = bus.published.length;
      await sql`select 1`.execute(trx);
      return 'value';
    });
    assert.equal(result, 'value');
    assert.equal(insideCommitted, 0, 'nothing is published before commit');
    await outbox.idle();
    assert.deepEqual(
      bus.published.map((e) => [e.topic, e.payload]),
      [
        ['test.one', { n: 1 }],
        ['test.two', { n: 2, at: '1970-01-01T00:00:00.000Z' }],
      ],
    );
    const stored = await rows(database);
    assert.equal(stored.length, 2);
    for (const row of stored) {
      assert.equal(row.claimed_by, 'node-a');
      assert.equal(row.attempts, 1);
      assert.equal(typeof row.published_at, 'number');
    }
    assert.deepEqual(
      stored.map((r) => r.event_id),
      bus.published.map((e) => e.id),
    );
    assert.equal(await outbox.drain(), 0, 'drain finds nothing left to publish');
    assert.equal(bus.published.length, 2);
  });

  void it('never publishes on rollback and leaves no row', async () => {
    await reset();
    const bus = new RecordingBus();
    const outbox = new Outbox(database, bus, log, 'node-a', { graceMs: 0 });
    await assert.rejects(
      outbox.transaction(async (_trx, events) => {
        events.record('test.rolled-back', {});
        await Promise.resolve();
        throw new Error('business rule failed');
      }),
      /business rule failed/,
    );
    await outbox.idle();
    assert.equal(await outbox.drain(), 0);
    assert.deepEqual(bus.published, []);
    assert.deepEqual(await rows(database), []);
  });

  void it('rejects record() after the transaction and non-JSON payloads', async () => {
    const outbox = new Outbox(database, new RecordingBus(), log, 'node-a');
    let late: ((topic: string) => void) | undefined;
    await outbox.transaction((_trx, events) => {
      late = (topic) => events.record(topic, {});
      assert.throws(() => events.record('test.bad', undefined), /JSON/);
      assert.throws(() => events.record('*', {}), /invalid topic/);
      return Promise.resolve();
    });
    assert.throws(() => late?.('test.late'), /after its transaction/);
  });

  void it('publishes a crash leftover (row inserted, never claimed) from drain, after the grace period', async () => {
    await reset();
    const bus = new RecordingBus();
    const outbox = new Outbox(database, bus, log, 'relay');
    const fresh = await insertLeftover(database, { createdAgoMs: 0 });
    const old = await insertLeftover(database, { createdAgoMs: 10_000 });
    assert.equal(await outbox.drain(), 1, 'the fresh row is left to its writer for now');
    assert.deepEqual(
      bus.published.map((e) => e.id),
      [old],
    );
    const later = new Outbox(database, bus, log, 'relay', { now: () => Date.now() + 10_000 });
    assert.equal(await later.drain(), 1);
    assert.deepEqual(
      bus.published.map((e) => e.id),
      [old, fresh],
    );
  });

  void it('re-publishes rows whose claim expired without publication, and only those', async () => {
    await reset();
    const bus = new RecordingBus();
    const outbox = new Outbox(database, bus, log, 'relay', { leaseMs: 30_000 });
    const expired = await insertLeftover(database, {
      createdAgoMs: 60_000,
      claimedAgoMs: 40_000,
      by: 'dead',
    });
    await insertLeftover(database, { createdAgoMs: 60_000, claimedAgoMs: 1_000, by: 'alive' });
    assert.equal(await outbox.drain(), 1);
    assert.deepEqual(
      bus.published.map((e) => e.id),
      [expired],
    );
    const row = (await rows(database)).find((r) => r.event_id === expired);
    assert.equal(row?.attempts, 2);
    assert.equal(row.claimed_by, 'relay');
  });

  void it('four outboxes on four connections draining at once never publish an event twice', async () => {
    await reset();
    const others = await Promise.all([ctx.open(), ctx.open(), ctx.open()]);
    const total = 1000;
    const values = Array.from({ length: total }, (_, i) => ({
      event_id: crypto.randomUUID(),
      topic: 'test.race',
      payload: JSON.stringify({ i }),
      created_at: Date.now() - 60_000,
    }));
    await database.db.insertInto('outbox_events').values(values).execute();
    const handles = [database, ...others];
    const buses = handles.map(() => new RecordingBus());
    const outboxes = handles.map(
      (h, i) => new Outbox(h, buses[i] ?? new RecordingBus(), log, `n${i}`, { batchSize: 7 }),
    );
    const counts = await Promise.all([...outboxes, ...outboxes].map((o) => o.drain()));
    const ids = buses.flatMap((bus) => bus.published).map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event published twice');
    assert.equal(ids.length, total, 'every event published');
    assert.equal(
      counts.reduce((x, y) => x + y, 0),
      total,
    );
    // Each outbox publishes its claims in id order.
    for (const bus of buses) {
      const order = bus.published.map((e) => (e.payload as { i: number }).i);
      assert.deepEqual(
        order,
        [...order].sort((x, y) => x - y),
      );
    }
    if (ctx.engine === 'postgres') {
      assert.ok(buses.filter((bus) => bus.published.length > 0).length > 1, 'several took part');
    }
  });

  void it('releases claims when the bus fails, and the relay publishes them', async () => {
    await reset();
    const bus = new RecordingBus();
    bus.failNext = 1;
    const outbox = new Outbox(database, bus, log, 'node-a', { graceMs: 0 });
    await outbox.transaction((_trx, events) => {
      events.record('test.retry', { n: 1 });
      events.record('test.retry', { n: 2 });
      return Promise.resolve();
    });
    await outbox.idle();
    assert.equal(bus.published.length, 0);
    const stored = await rows(database);
    assert.deepEqual(
      stored.map((r) => r.claimed_at),
      [null, null],
      'claims were released',
    );
    const relay = new OutboxRelay(outbox, log, { intervalMs: 20 });
    relay.start();
    try {
      await waitFor(() => bus.published.length === 2, 'the relay to publish');
    } finally {
      await relay.stop();
    }
    assert.deepEqual(
      bus.published.map((e) => e.payload),
      [{ n: 1 }, { n: 2 }],
    );
  });

  void it('delivers through a real bus to subscribers once', async () => {
    await reset();
    const bus = new MemoryEventBus({ logger: log });
    const seen = collect(bus, 'test.real');
    const outbox = new Outbox(database, bus, log, 'node-a');
    for (let n = 0; n < 5; n++) {
      await outbox.transaction((_trx, events) => {
        events.record('test.real', { n });
        return Promise.resolve();
      });
    }
    await outbox.idle();
    await bus.idle();
    assert.deepEqual(
      seen.map((e) => e.payload),
      [0, 1, 2, 3, 4].map((n) => ({ n })),
    );
    await bus.close();
  });

  void it('deletes published rows older than the retention window in drain', async () => {
    await reset();
    const now = Date.now();
    await database.db
      .insertInto('outbox_events')
      .values([
        {
          event_id: 'old',
          topic: 't',
          payload: '{}',
          created_at: now - 2e8,
          claimed_at: now - 2e8,
          published_at: now - 2e8,
        },
        {
          event_id: 'recent',
          topic: 't',
          payload: '{}',
          created_at: now - 1000,
          claimed_at: now,
          published_at: now,
        },
      ])
      .execute();
    const outbox = new Outbox(database, new RecordingBus(), log, 'relay', { retentionMs: 24 * 3600 * 1000 });
    await outbox.drain();
    assert.deepEqual(
      (await rows(database)).map((r) => r.event_id),
      ['recent'],
    );
  });
});
