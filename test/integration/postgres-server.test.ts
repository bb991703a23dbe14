/** The full server on PostgreSQL: readiness, a validated write with its event, and graceful stop. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../harness/server.ts';
import { registerProbeRoutes } from '../fixtures/probe-routes.ts';
import type { DomainEvent } from '../../src/platform/events/event-bus.ts';

it('serves, writes and publishes on PostgreSQL', async () => {
  const server = await startTestServer({ engine: 'postgres', registerRoutes: registerProbeRoutes });
  try {
    assert.equal(server.platform.database.engine, 'postgres');
    const ready = await server.fetch('/readyz');
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: 'ok', redis: 'disabled' } });
    const seen: DomainEvent[] = [];
    server.platform.bus.subscribe('probe.note.created', (e) => {
      seen.push(e);
    });
    const res = await server.fetch('/test/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello from postgres' }),
    });
    assert.equal(res.status, 201);
    const { id } = res.json<{ id: string }>();
    await server.platform.outbox.idle();
    assert.deepEqual(
      seen.map((e) => (e.payload as { id: string }).id),
      [id],
    );
    const rows = await server.platform.database.db
      .selectFrom('outbox_events')
      .select(['topic', 'published_at'])
      .where('topic', '=', 'probe.note.created')
      .execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]?.published_at, null);
  } finally {
    await server.close();
  }
});
