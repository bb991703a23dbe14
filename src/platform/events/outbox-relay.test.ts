import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachEngine, testLogger } from '../../../test/harness/engines.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import type { DomainEvent, EventBus } from './event-bus.ts';
import { Outbox } from './outbox.ts';
import { OutboxRelay } from './outbox-relay.ts';
import { sleep, waitFor } from './test-support.ts';

const log = testLogger();

/** A bus whose publish takes `delayMs`, to catch the relay mid-drain. */
class SlowBus implements EventBus {
  readonly started: string[] = [];
  readonly finished: string[] = [];
  readonly delayMs: number;
  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }
  async publish(event: DomainEvent): Promise<void> {
    this.started.push(event.id);
    await sleep(this.delayMs);
    this.finished.push(event.id);
  }
  subscribe(): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

forEachEngine('OutboxRelay', (ctx) => {
  let database: Database;
  before(async () => {
    database = await ctx.open();
    await migrateToLatest(database, log);
  });

  void it('polls, and stop() waits for the drain in progress to finish and mark its rows', async () => {
    const bus = new SlowBus(150);
    const outbox = new Outbox(database, bus, log, 'relay');
    const relay = new OutboxRelay(outbox, log, { intervalMs: 20 });
    relay.start();
    relay.start(); // harmless
    await sleep(50); // a few empty polls
    const eventId = crypto.randomUUID();
    await database.db
      .insertInto('outbox_events')
      .values({ event_id: eventId, topic: 't', payload: '{}', created_at: Date.now() - 60_000 })
      .execute();
    await waitFor(() => bus.started.length === 1, 'the relay to pick the row up');
    await relay.stop();
    assert.deepEqual(bus.finished, [eventId], 'stop resolved only after the publish finished');
    const row = await database.db
      .selectFrom('outbox_events')
      .select(['published_at'])
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    assert.equal(typeof row.published_at, 'number', 'and after the row was marked');
    // No polling after stop.
    await database.db
      .insertInto('outbox_events')
      .values({ event_id: crypto.randomUUID(), topic: 't', payload: '{}', created_at: Date.now() - 60_000 })
      .execute();
    await sleep(100);
    assert.equal(bus.started.length, 1);
  });
});
