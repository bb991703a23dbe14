/**
 * Rate limits through the full HTTPS stack (acceptance, "Limits"): a burst gets a complete 429, a
 * client rotating addresses inside its /24 stays limited, and X-Forwarded-For is believed only
 * from the configured proxy. Client sockets are bound to chosen loopback source addresses
 * (127.0.0.0/8 is all loopback on Linux), so the server sees real, distinct peers.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.ts';
import type { TestResponse } from '../harness/https-client.ts';

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ env });
  servers.push(server);
  return server;
}

function healthz(
  server: TestServer,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  return server.fetch('/healthz', { localAddress, headers });
}

/** Status codes of requests made one after another. */
async function statuses(requests: (() => Promise<TestResponse>)[]): Promise<number[]> {
  const out: number[] = [];
  for (const request of requests) out.push((await request()).status);
  return out;
}

const count = (list: number[], status: number) => list.filter((s) => s === status).length;

void describe('rate limits over HTTPS', () => {
  void it('a burst gets 429 with Retry-After, the security headers and the JSON error envelope', async () => {
    const server = await serve({ PARLEY_RATE_LIMIT_IP: '5/60s' });
    // No proxy is configured, so a client's own X-Forwarded-For changes nothing.
    const burst = await statuses(
      Array.from(
        { length: 5 },
        (_, i) => () => healthz(server, '127.0.0.23', { 'x-forwarded-for': `198.51.100.${i + 1}` }),
      ),
    );
    assert.deepEqual(burst, [200, 200, 200, 200, 200]);

    const limited = await healthz(server, '127.0.0.23', { 'x-forwarded-for': '198.51.100.99' });
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
      `Retry-After: ${String(limited.headers['retry-after'])}`,
    );
    assert.match(String(limited.headers['strict-transport-security']), /max-age=\d+/);
    assert.match(String(limited.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(limited.headers['x-content-type-options'], 'nosniff');
    assert.match(String(limited.headers['content-type']), /^application\/json/);
    const body = limited.json<{ error: { code: string; message: string; requestId: string } }>();
    assert.equal(body.error.code, 'rate_limited');
    assert.equal(typeof body.error.message, 'string');
    assert.equal(body.error.requestId, limited.headers['request-id']);

    // Another client is unaffected.
    assert.equal((await healthz(server, '127.0.1.23')).status, 200);
  });

  void it('rotating the last octet inside one /24 does not escape the subnet limit', async () => {
    const server = await serve({ PARLEY_RATE_LIMIT_IP: '100/60s', PARLEY_RATE_LIMIT_SUBNET: '10/60s' });
    const rotating = await statuses(
      Array.from({ length: 20 }, (_, i) => () => healthz(server, `127.0.0.${30 + i}`)),
    );
    assert.equal(count(rotating, 200), 10, `statuses: ${rotating.join(',')}`);
    assert.equal(count(rotating, 429), 10, `statuses: ${rotating.join(',')}`);
    // The neighbouring /24 has its own budget.
    assert.equal((await healthz(server, '127.0.1.30')).status, 200);
  });

  void it('X-Forwarded-For is ignored from non-proxies and believed from the configured proxy', async () => {
    const proxy = '127.0.0.9';
    const server = await serve({
      PARLEY_TRUSTED_PROXIES: proxy,
      PARLEY_RATE_LIMIT_IP: '5/60s',
      PARLEY_RATE_LIMIT_SUBNET: '1000/60s',
    });

    // A direct client spoofing a fresh forwarded address each time is still one client.
    const spoofed = await statuses(
      Array.from(
        { length: 8 },
        (_, i) => () => healthz(server, '127.0.0.23', { 'x-forwarded-for': `203.0.113.${i + 1}` }),
      ),
    );
    assert.deepEqual(spoofed, [200, 200, 200, 200, 200, 429, 429, 429]);

    // Through the proxy, distinct forwarded clients get distinct buckets (more of them than one
    // bucket's budget), and the proxy's own address is not what gets charged...
    const viaProxy = await statuses(
      Array.from(
        { length: 8 },
        (_, i) => () => healthz(server, proxy, { 'x-forwarded-for': `198.51.100.${i + 1}` }),
      ),
    );
    assert.deepEqual(viaProxy, [200, 200, 200, 200, 200, 200, 200, 200]);

    // ...while one forwarded client is limited like a direct one, even when it puts its own
    // rotating entry in front of the address the proxy appended (only the rightmost is believed).
    const oneClient = await statuses(
      Array.from(
        { length: 7 },
        (_, i) => () => healthz(server, proxy, { 'x-forwarded-for': `10.9.8.${i + 1}, 198.51.100.50` }),
      ),
    );
    assert.deepEqual(oneClient, [200, 200, 200, 200, 200, 429, 429]);
    assert.equal((await healthz(server, proxy, { 'x-forwarded-for': '198.51.100.51' })).status, 200);
  });
});
