/**
 * Graceful shutdown finishes in-flight requests and their writes and publishes their events;
 * readiness drops while draining; process roles decide which listeners exist; metrics live only on
 * the admin listener.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { startTestServer } from '../harness/server.ts';
import { httpsFetch } from '../harness/https-client.ts';
import { registerProbeRoutes } from '../fixtures/probe-routes.ts';
import type { DomainEvent } from '../../src/platform/events/event-bus.ts';

describe('lifecycle', () => {
  it('shutdown lets an in-flight write commit and publish, and refuses new work', async () => {
    const server = await startTestServer({
      registerRoutes: registerProbeRoutes,
      env: { PARLEY_SHUTDOWN_TIMEOUT_MS: '10000' },
    });
    const seen: DomainEvent[] = [];
    server.platform.bus.subscribe('probe.note.created', (e) => {
      seen.push(e);
    });
    const inFlight = server.fetch('/test/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'written during shutdown', delayMs: 1200 }),
    });
    await new Promise((r) => setTimeout(r, 300));
    const stopping = server.platform.stop('test');
    await new Promise((r) => setTimeout(r, 100));
    const late = await server.fetch('/healthz').then(
      (r) => r.status,
      (err: unknown) => (err as NodeJS.ErrnoException).code,
    );
    assert.ok(
      late === 'ECONNREFUSED' || late === 503 || late === 'ECONNRESET',
      `new request during drain got ${String(late)}`,
    );

    const res = await inFlight;
    assert.equal(res.status, 201);
    const { id } = res.json<{ id: string }>();
    await stopping;
    assert.deepEqual(
      seen.map((e) => (e.payload as { id: string }).id),
      [id],
    );

    if (server.config.database.kind !== 'sqlite') assert.fail('expected sqlite');
    const file = new Database(server.config.database.file, { readonly: true });
    try {
      assert.deepEqual(file.prepare('select text from probe_notes where id = ?').get(id), {
        text: 'written during shutdown',
      });
      const row = file
        .prepare('select published_at from outbox_events where topic = ?')
        .get('probe.note.created') as { published_at: unknown };
      assert.ok(row.published_at !== null);
    } finally {
      file.close();
      await server.close();
    }
  });

  it('serves Prometheus metrics on the admin listener only, behind a token when configured', async () => {
    const token = 'm'.repeat(40);
    const server = await startTestServer({ env: { PARLEY_METRICS_TOKEN: token } });
    try {
      await server.fetch('/healthz');
      const admin = `https://localhost:${server.adminPort}`;
      const anonymous = await httpsFetch(admin, server.caPem, '/metrics');
      assert.equal(anonymous.status, 401);
      const wrong = await httpsFetch(admin, server.caPem, '/metrics', {
        headers: { authorization: `Bearer ${'x'.repeat(40)}` },
      });
      assert.equal(wrong.status, 401);
      const metrics = await httpsFetch(admin, server.caPem, '/metrics', {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /parley_http_request_duration_seconds_count\{[^}]*route="\/healthz"/);
      assert.match(metrics.text, /process_cpu_user_seconds_total/);
      assert.equal(metrics.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains');
      const adminReady = await httpsFetch(admin, server.caPem, '/readyz');
      assert.equal(adminReady.status, 200);
      const publicMetrics = await server.fetch('/metrics');
      assert.equal(publicMetrics.status, 404);
      assert.doesNotMatch(publicMetrics.text, /process_cpu/);
    } finally {
      await server.close();
    }
  });

  it('runs only the listeners its roles need', async () => {
    await assert.rejects(startTestServer({ env: { PARLEY_ROLES: 'worker' } }), /no HTTPS listener/);
    const api = await startTestServer({ env: { PARLEY_ROLES: 'api' } });
    try {
      const status = await api.fetch('/api/v1/status');
      assert.deepEqual(status.json<{ roles: string[] }>().roles, ['api']);
    } finally {
      await api.close();
    }
  });

  it('refuses to start, with a clear error, when Redis is configured but never answers', async () => {
    const started = Date.now();
    await assert.rejects(
      startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } }),
      /Redis \(REDIS_URL\) did not answer/,
    );
    assert.ok(Date.now() - started < 20_000);
  });

  it('checks Redis for readiness when it is configured', async () => {
    const server = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:6379' } });
    try {
      const ready = await server.fetch('/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.json(), { status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    } finally {
      await server.close();
    }
  });
});
