/**
 * Security headers on every response (200, 404, 413, 429, 500), body limits enforced before the
 * body is read, slow-header clients cut off, one error envelope without stacks or SQL, request ids,
 * and logs that carry no credentials.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { startTestServer, type TestServer } from '../harness/server.ts';
import { registerProbeRoutes } from '../fixtures/probe-routes.ts';

function assertSecurityHeaders(headers: IncomingHttpHeaders, context: string): void {
  assert.equal(headers['strict-transport-security'], 'max-age=63072000; includeSubDomains', context);
  const csp = String(headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/, context);
  assert.match(csp, /frame-ancestors 'none'/, context);
  assert.match(csp, /object-src 'none'/, context);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, context);
  assert.equal(headers['x-content-type-options'], 'nosniff', context);
  assert.equal(headers['x-frame-options'], 'DENY', context);
  assert.ok(headers['request-id'], `${context}: request-id`);
}

describe('HTTP hardening', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      registerRoutes: registerProbeRoutes,
      env: {
        PARLEY_BODY_LIMIT_BYTES: '4096',
        PARLEY_HEADERS_TIMEOUT_MS: '1000',
        PARLEY_REQUEST_TIMEOUT_MS: '3000',
        PARLEY_RATE_LIMIT_IP: '1000/60s',
      },
    });
  });
  after(async () => {
    await server.close();
  });

  it('puts the security headers on 200, 404, 413, 500 and 401 responses', async () => {
    const ok = await server.fetch('/healthz');
    assert.equal(ok.status, 200);
    assertSecurityHeaders(ok.headers, '200');

    const missing = await server.fetch('/no/such/thing');
    assert.equal(missing.status, 404);
    assert.equal(missing.json<{ error: { code: string } }>().error.code, 'not_found');
    assertSecurityHeaders(missing.headers, '404');

    const big = await server.fetch('/test/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(8000) }),
    });
    assert.equal(big.status, 413);
    assert.equal(big.json<{ error: { code: string } }>().error.code, 'payload_too_large');
    assertSecurityHeaders(big.headers, '413');

    const boom = await server.fetch('/test/explode');
    assert.equal(boom.status, 500);
    assertSecurityHeaders(boom.headers, '500');
    const body = boom.json<{ error: { code: string; message: string; requestId: string } }>();
    assert.equal(body.error.code, 'internal_error');
    assert.equal(body.error.requestId, boom.headers['request-id']);
    assert.doesNotMatch(boom.text, /secret_table|SELECT|password|at .*\.ts/);

    const denied = await server.fetch('/test/private');
    assert.equal(denied.status, 401);
    assert.equal(denied.json<{ error: { code: string } }>().error.code, 'unauthenticated');
    assertSecurityHeaders(denied.headers, '401');
  });

  it('validates bodies strictly: wrong types, extra fields, prototype poisoning, broken JSON', async () => {
    const post = (body: string) =>
      server.fetch('/test/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const wrongType = await post(JSON.stringify({ text: { $ne: null } }));
    assert.equal(wrongType.status, 400);
    const err = wrongType.json<{ error: { code: string; details: { path: string }[] } }>().error;
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.details[0]?.path, '/body/text');
    assert.equal((await post(JSON.stringify({ text: 'hi', admin: true }))).status, 400);
    assert.equal((await post('{"text":"hi","__proto__":{"admin":true}}')).status, 400);
    const broken = await post('{"text":');
    assert.equal(broken.status, 400);
    assert.equal(broken.json<{ error: { code: string } }>().error.code, 'bad_request');
    const created = await post(JSON.stringify({ text: 'hello' }));
    assert.equal(created.status, 201);
  });

  it('refuses an oversize body from its Content-Length before reading it', async () => {
    // Announce 50 MB, send 10 bytes: the 413 must come back without the server waiting for the rest.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: server.port, ca: server.caPem, servername: 'localhost' },
        () => {
          socket.write(
            'POST /test/notes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n{"text":"',
          );
        },
      );
      let data = '';
      socket.on('data', (c: Buffer) => {
        data += c.toString();
        if (data.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(data);
        }
      });
      socket.on('error', reject);
      setTimeout(
        () => reject(new Error('no answer within 2.5 s: the server is waiting for the body')),
        2500,
      ).unref();
    });
    assert.match(answer, /^HTTP\/1\.1 413/);
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    const answer = await new Promise<{ head: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      let head = '';
      const socket = connect(
        { host: '127.0.0.1', port: server.port, ca: server.caPem, servername: 'localhost' },
        () => {
          socket.write(
            'POST /test/notes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
          );
          const chunk = 'a'.repeat(1024);
          const pump = setInterval(() => {
            if (socket.destroyed || sent > 1_000_000) {
              clearInterval(pump);
              return;
            }
            socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
            sent += chunk.length;
          }, 2);
        },
      );
      socket.on('data', (c: Buffer) => {
        head += c.toString();
        if (head.includes('\r\n\r\n')) {
          socket.destroy();
          resolve({ head, sent });
        }
      });
      socket.on('error', reject);
    });
    assert.match(answer.head, /^HTTP\/1\.1 413/);
    assert.ok(answer.sent < 1_000_000, `server let ${answer.sent} bytes in before refusing`);
  });

  it('disconnects a client that sends its headers too slowly (slowloris)', async () => {
    const started = Date.now();
    const outcome = await new Promise<{ closedAfterMs: number; linesSent: number; reply: string }>(
      (resolve, reject) => {
        let linesSent = 0;
        let reply = '';
        const socket = connect(
          { host: '127.0.0.1', port: server.port, ca: server.caPem, servername: 'localhost' },
          () => {
            socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
            const drip = setInterval(() => {
              if (socket.destroyed || linesSent >= 40) {
                clearInterval(drip);
                return;
              }
              socket.write(`X-Slow-${linesSent}: 1\r\n`);
              linesSent++;
            }, 250);
          },
        );
        socket.on('data', (c: Buffer) => (reply += c.toString()));
        socket.on('close', () => resolve({ closedAfterMs: Date.now() - started, linesSent, reply }));
        socket.on('error', () => undefined);
        setTimeout(() => reject(new Error('slow client still connected after 8 s')), 8000).unref();
      },
    );
    // headersTimeout 1 s + the checking interval: cut off well before the 10 s the client wanted.
    assert.ok(outcome.closedAfterMs < 4000, `closed after ${outcome.closedAfterMs} ms`);
    assert.ok(outcome.linesSent < 40);
    assert.doesNotMatch(outcome.reply, /200 OK/);
  });

  it('echoes a well-formed request id and replaces a malformed one', async () => {
    const good = await server.fetch('/healthz', { headers: { 'x-request-id': 'abc12345-trace' } });
    assert.equal(good.headers['request-id'], 'abc12345-trace');
    const bad = await server.fetch('/healthz', { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    assert.match(String(bad.headers['request-id']), /^[0-9a-f-]{36}$/);
  });

  it('keeps credentials and query strings out of the logs', async () => {
    await server.fetch('/healthz?code=QUERYSECRET42', {
      headers: { authorization: 'Bearer TOKENSECRET42', cookie: 'sid=COOKIESECRET42' },
    });
    await server.fetch('/test/private?access_token=QUERYSECRET43', {
      headers: { authorization: 'Bearer TOKENSECRET43' },
    });
    const logs = server.rawLogs();
    assert.match(logs, /"path":"\/healthz"/);
    for (const secret of [
      'QUERYSECRET42',
      'TOKENSECRET42',
      'COOKIESECRET42',
      'QUERYSECRET43',
      'TOKENSECRET43',
    ]) {
      assert.ok(!logs.includes(secret), `${secret} leaked into the logs`);
    }
    const line = server.logs().find((l) => l['msg'] === 'request' && l['path'] === '/healthz');
    assert.ok(line?.['requestId'], 'request log lines carry the request id');
  });

  it('answers anonymously only on the reviewed public list', async () => {
    const PUBLIC = new Set([
      'GET /healthz',
      'GET /readyz',
      'GET /api/v1/status',
      'POST /test/notes',
      'GET /test/explode',
      // The identity provider: discovery, keys, the OAuth endpoints and the sign-in page's API.
      'GET /:tenant/v2.0/.well-known/openid-configuration',
      'GET /:tenant/.well-known/openid-configuration',
      'GET /:tenant/discovery/v2.0/keys',
      'GET /:tenant/oauth2/v2.0/*',
      'POST /:tenant/oauth2/v2.0/*',
      'GET /:tenant/oidc/*',
      'POST /:tenant/oidc/*',
      'GET /login/:uid/state',
      'POST /login/:uid/password',
      'POST /login/:uid/mfa',
      'POST /login/:uid/mfa/enrolment',
      'POST /login/:uid/mfa/enrolment/confirm',
      'POST /login/:uid/consent',
      'POST /login/:uid/abort',
    ]);
    const inventory = server.platform.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    assert.ok(inventory.length > 3);
    for (const route of inventory) {
      const key = `${route.method} ${route.url}`;
      const isWebAsset = route.method === 'GET' && (route.url === '/' || /^\/[\w./-]+\.\w+$/.test(route.url));
      if (PUBLIC.has(key) || isWebAsset) {
        assert.equal(route.public, true, `${key} should be public`);
        continue;
      }
      assert.equal(route.public, false, `${key} is public but not on the reviewed list`);
      const path = route.url.replace(/:(\w+)/g, 'x');
      const res = await server.fetch(path, {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { body: '{}' }),
      });
      assert.equal(res.status, 401, `${key} answered ${res.status} without credentials`);
    }
  });
});
