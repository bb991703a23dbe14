/**
 * Two real processes share one PostgreSQL database and one Redis: events written in node A's
 * transactions reach the subscribers of both nodes exactly once, in order, and a rolled-back
 * transaction's event reaches nobody. A crash leftover (an outbox row nobody claimed) is
 * published once by one of the two relays.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  freshDatabaseConfig,
  randomSuffix,
  requirePostgres,
  requireRedis,
  testLogger,
} from '../harness/engines.ts';
import { openDatabase } from '../../src/platform/db/database.ts';

const NODE = new URL('../fixtures/event-node.ts', import.meta.url).pathname;
const EVENTS = 50;
const ROLLBACK_AFTER = 20;

interface Received {
  readonly id: string;
  readonly payload: { seq: number | string };
}

interface Node {
  readonly child: ChildProcess;
  readonly received: Received[];
  next(type: string): Promise<Record<string, unknown>>;
}

function startNode(args: Record<string, unknown>): Node {
  const child = fork(NODE, [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const received: Received[] = [];
  const waiters = new Map<string, (m: Record<string, unknown>) => void>();
  child.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    if (message.type === 'event') received.push(message as unknown as Received);
    else waiters.get(String(message.type))?.(message);
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      waiters.set(type, resolve);
      child.once('exit', (code) => {
        reject(new Error(`node ${String(args.nodeId)} exited with ${code} while waiting for ${type}`));
      });
    });
  return { child, received, next };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

void describe('events across two processes (PostgreSQL + Redis)', async () => {
  const [pgUrl, redisUrl] = await Promise.all([requirePostgres(), requireRedis()]);
  if (pgUrl === undefined || redisUrl === undefined) {
    void it('needs PostgreSQL and Redis', { skip: 'PostgreSQL or Redis is not running' }, () => undefined);
    return;
  }
  const fresh = await freshDatabaseConfig('postgres');
  const nodes: Node[] = [];
  after(async () => {
    for (const node of nodes) if (node.child.exitCode === null) node.child.kill('SIGKILL');
    await fresh.cleanup();
  });

  void it('delivers every committed event to both nodes exactly once, in order, never the rolled-back one', async () => {
    const common = {
      database: fresh.config,
      redisUrl,
      channel: `parley:test:${randomSuffix()}`,
      topic: 'cluster.note.created',
      relayIntervalMs: 100,
    };
    const a = startNode({ ...common, nodeId: 'node-a' });
    const b = startNode({ ...common, nodeId: 'node-b' });
    nodes.push(a, b);
    // Both nodes migrate the same empty database at the same time on start-up.
    await Promise.all([a.next('ready'), b.next('ready')]);

    const check = await openDatabase(fresh.config, testLogger());
    try {
      await sql`create table cluster_notes (seq integer not null, node text not null)`.execute(check.db);
      const written = a.next('written');
      a.child.send({ type: 'write', count: EVENTS, rollbackAfter: ROLLBACK_AFTER });
      const { ids } = (await written) as { ids: string[] };
      assert.equal(ids.length, EVENTS);

      await waitFor(
        () => a.received.length >= EVENTS && b.received.length >= EVENTS,
        'both nodes to receive',
      );

      // A crash leftover: a committed row whose writer never claimed it. One relay publishes it.
      const leftoverId = crypto.randomUUID();
      await check.db
        .insertInto('outbox_events')
        .values({
          event_id: leftoverId,
          topic: common.topic,
          payload: JSON.stringify({ seq: EVENTS }),
          created_at: Date.now() - 60_000,
        })
        .execute();
      await waitFor(() => a.received.length > EVENTS && b.received.length > EVENTS, 'the leftover event');
      // Several relay intervals for any duplicate to show up.
      await new Promise((resolve) => setTimeout(resolve, 500));

      const expected = [...ids, leftoverId];
      for (const [name, node] of [
        ['A', a],
        ['B', b],
      ] as const) {
        assert.deepEqual(
          node.received.map((e) => e.id),
          expected,
          `node ${name} received every event exactly once, in order`,
        );
        assert.deepEqual(
          node.received.map((e) => e.payload.seq),
          Array.from({ length: EVENTS + 1 }, (_, i) => i),
        );
      }

      const rows = await check.db.selectFrom('outbox_events').selectAll().orderBy('id').execute();
      assert.equal(rows.length, EVENTS + 1, 'no outbox row for the rolled-back transaction');
      assert.ok(
        rows.every((r) => r.published_at !== null && r.attempts === 1),
        'each row claimed and published once',
      );
      assert.ok(
        rows.slice(0, EVENTS).every((r) => r.claimed_by === 'node-a'),
        'the writer published its own events',
      );
      const notes = await sql<{ n: number }>`select count(*) as n from cluster_notes`.execute(check.db);
      assert.equal(notes.rows[0]?.n, EVENTS, 'the rolled-back row is absent');
    } finally {
      await check.close();
    }

    for (const node of [a, b]) node.child.send({ type: 'stop' });
    const exits = await Promise.all([once(a.child, 'exit'), once(b.child, 'exit')]);
    assert.deepEqual(
      exits.map(([code]) => code as number),
      [0, 0],
    );
  });
});
