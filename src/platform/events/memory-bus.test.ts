import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../logging/logger.ts';
import { RecentIds } from './local-dispatcher.ts';
import { MemoryEventBus } from './memory-bus.ts';
import { capturingLogger, collect, makeEvent } from './test-support.ts';

const silent = createLogger({ level: 'silent' });

void describe('MemoryEventBus', () => {
  void it('delivers to topic and * subscribers, in publish order', async () => {
    const bus = new MemoryEventBus({ logger: silent });
    const all = collect(bus);
    const things = collect(bus, 'a.thing');
    const events = [makeEvent('a.thing'), makeEvent('b.other'), makeEvent('a.thing')];
    for (const e of events) await bus.publish(e);
    await bus.idle();
    assert.deepEqual(all, events);
    assert.deepEqual(things, [events[0], events[2]]);
    await bus.close();
  });

  void it('keeps order even when handlers are async and slow', async () => {
    const bus = new MemoryEventBus({ logger: silent });
    const order: number[] = [];
    bus.subscribe('*', async (e) => {
      const n = (e.payload as { n: number }).n;
      await new Promise((r) => setTimeout(r, n % 2 === 0 ? 15 : 0));
      order.push(n);
    });
    for (let n = 0; n < 6; n++) await bus.publish(makeEvent('t', { n }));
    await bus.idle();
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    await bus.close();
  });

  void it('delivers a duplicate event id once', async () => {
    const bus = new MemoryEventBus({ logger: silent });
    const seen = collect(bus);
    const event = makeEvent();
    await bus.publish(event);
    await bus.publish({ ...event });
    await bus.idle();
    assert.equal(seen.length, 1);
    await bus.close();
  });

  void it('logs handler errors (thrown and rejected) and keeps delivering', async () => {
    const { logger, lines } = capturingLogger();
    const bus = new MemoryEventBus({ logger });
    bus.subscribe('*', () => {
      throw new Error('sync boom');
    });
    bus.subscribe('*', () => Promise.reject(new Error('async boom')));
    const seen = collect(bus);
    await bus.publish(makeEvent());
    await bus.publish(makeEvent());
    await bus.idle();
    assert.equal(seen.length, 2);
    const failures = lines.filter((l) => l.msg === 'event handler failed');
    assert.equal(failures.length, 4);
    await bus.close();
  });

  void it('unsubscribes, and rejects publish after close', async () => {
    const bus = new MemoryEventBus({ logger: silent });
    const seen: string[] = [];
    const off = bus.subscribe('*', (e) => {
      seen.push(e.id);
    });
    await bus.publish(makeEvent());
    off();
    await bus.publish(makeEvent());
    await bus.idle();
    assert.equal(seen.length, 1);
    await bus.close();
    await assert.rejects(bus.publish(makeEvent()), /closed/);
  });
});

void describe('RecentIds', () => {
  void it('forgets the least recently used id beyond its capacity', () => {
    const ids = new RecentIds(2);
    assert.equal(ids.add('a'), true);
    assert.equal(ids.add('b'), true);
    assert.equal(ids.add('a'), false); // refreshes a; b is now oldest
    assert.equal(ids.add('c'), true); // evicts b
    assert.equal(ids.size, 2);
    assert.equal(ids.add('a'), false);
    assert.equal(ids.add('b'), true);
  });
});
