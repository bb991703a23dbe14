import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { randomSuffix, requireRedis } from '../../../test/harness/engines.ts';
import { createLogger } from '../logging/logger.ts';
import { RedisEventBus } from './redis-bus.ts';
import { capturingLogger, collect, makeEvent, sleep, waitFor } from './test-support.ts';

const silent = createLogger({ level: 'silent' });

void describe('RedisEventBus', async () => {
  const url = await requireRedis();
  if (url === undefined) {
    void it('needs Redis', { skip: 'Redis is not running' }, () => undefined);
    return;
  }
  // A private channel per test file run, so parallel test files never see each other's events.
  const channel = `parley:test:${randomSuffix()}`;
  const buses: RedisEventBus[] = [];
  const open = async (logger = silent) => {
    const bus = new RedisEventBus({ url, channel, logger });
    buses.push(bus);
    await bus.ready();
    return bus;
  };
  let a: RedisEventBus;
  let b: RedisEventBus;
  before(async () => {
    [a, b] = await Promise.all([open(), open()]);
  });
  after(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
  });

  void it('two buses see each other’s events, each exactly once, in order', async () => {
    const topic = `t.${randomSuffix()}`;
    const seenA = collect(a, topic);
    const seenB = collect(b, topic);
    const fromA = [makeEvent(topic), makeEvent(topic), makeEvent(topic)];
    const fromB = [makeEvent(topic)];
    for (const e of fromA) await a.publish(e);
    await waitFor(() => seenB.length === 3, 'B to receive A’s events');
    for (const e of fromB) await b.publish(e);
    await waitFor(() => seenA.length === 4, 'A to receive B’s event');
    await sleep(100); // room for a duplicate (A's own echo from Redis) to show up
    const ids = (events: { id: string }[]) => events.map((e) => e.id);
    assert.deepEqual(ids(seenA), ids([...fromA, ...fromB]));
    assert.deepEqual(ids(seenB), ids([...fromA, ...fromB]));
    assert.deepEqual(seenB[0], fromA[0], 'the event survives the JSON round trip');
  });

  void it('delivers a duplicate event id once per process', async () => {
    const topic = `t.${randomSuffix()}`;
    const seenB = collect(b, topic);
    const event = makeEvent(topic);
    await a.publish(event);
    await a.publish({ ...event });
    await b.publish({ ...event });
    const marker = makeEvent(topic);
    await a.publish(marker);
    await waitFor(() => seenB.some((e) => e.id === marker.id), 'the marker event');
    await sleep(50);
    assert.deepEqual(
      seenB.map((e) => e.id),
      [event.id, marker.id],
    );
  });

  void it('logs handler errors and keeps the process and the subscription alive', async () => {
    const { logger, lines } = capturingLogger();
    const c = await open(logger);
    const topic = `t.${randomSuffix()}`;
    c.subscribe(topic, () => {
      throw new Error('handler boom');
    });
    c.subscribe(topic, async () => Promise.reject(new Error('async handler boom')));
    const seen = collect(c, topic);
    await a.publish(makeEvent(topic));
    await a.publish(makeEvent(topic));
    await waitFor(() => seen.length === 2, 'both events despite failing handlers');
    await c.idle();
    assert.equal(lines.filter((l) => l.msg === 'event handler failed').length, 4);
  });

  void it('ignores malformed and foreign messages on the channel', async () => {
    const { logger, lines } = capturingLogger();
    const c = await open(logger);
    const seen = collect(c);
    const raw = new Redis(url);
    try {
      await raw.publish(channel, 'not json');
      await raw.publish(channel, JSON.stringify({ v: 99, event: makeEvent() }));
      await raw.publish(channel, JSON.stringify({ v: 1, event: { id: 'x' } }));
    } finally {
      await raw.quit();
    }
    const marker = makeEvent();
    await a.publish(marker);
    await waitFor(() => seen.some((e) => e.id === marker.id), 'the marker event');
    assert.equal(seen.length, 1);
    assert.equal(lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('ignoring')).length, 3);
  });
});
