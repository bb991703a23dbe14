/**
 * Signed-in callers are held to principal, tenant and federated-partner budgets. The identity module
 * supplies the real Authenticator; here a test authenticator recognises a header so the limits can
 * be exercised through the full stack.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { startTestServer, type TestServer } from '../harness/server.ts';
import type { Authenticator, Principal } from '../../src/platform/http/access.ts';

/** `x-test-principal: <kind>:<id>@<tenant>[#partner]`, e.g. `user:alice@contoso`. */
const headerAuthenticator: Authenticator = {
  authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const value = request.headers['x-test-principal'];
    if (typeof value !== 'string') return Promise.resolve(undefined);
    const match = /^(user|app|bot|partner):([\w.-]+)@([\w.-]+)(?:#([\w.-]+))?$/.exec(value);
    if (match === null) return Promise.resolve(undefined);
    const [, kind, id, tenantId, partnerDomain] = match as unknown as [
      string,
      Principal['kind'],
      string,
      string,
      string | undefined,
    ];
    return Promise.resolve({ kind, id, tenantId, ...(partnerDomain !== undefined ? { partnerDomain } : {}) });
  },
};

describe('principal, tenant and partner limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      authenticator: headerAuthenticator,
      registerRoutes: async (app) => {
        app.get('/test/whoami', (request) => ({ id: request.principal?.id ?? null }));
        await Promise.resolve();
      },
      env: {
        PARLEY_RATE_LIMIT_IP: '1000/60s',
        PARLEY_RATE_LIMIT_SUBNET: '1000/60s',
        PARLEY_RATE_LIMIT_PRINCIPAL: '3/60s',
        PARLEY_RATE_LIMIT_TENANT: '5/60s',
        PARLEY_RATE_LIMIT_PARTNER: '2/60s',
      },
    });
  });
  after(async () => {
    await server.close();
  });

  const call = (principal?: string) =>
    server.fetch(
      '/test/whoami',
      principal === undefined ? {} : { headers: { 'x-test-principal': principal } },
    );

  it('refuses anonymous callers on a non-public route', async () => {
    assert.equal((await call()).status, 401);
    assert.equal((await call('garbage')).status, 401);
  });

  it('limits one principal, then the whole tenant', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('user:alice@contoso')).status);
    // Alice's fourth call is over her budget of 3; refused there, it does not reach the tenant bucket.
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal((await call('user:bob@contoso')).status, 200, 'tenant: 4 of 5');
    assert.equal((await call('user:carol@contoso')).status, 200, 'tenant: 5 of 5');
    const erin = await call('user:erin@contoso');
    assert.equal(erin.status, 429, 'the tenant budget is spent, whoever asks');
    assert.equal(erin.json<{ error: { code: string } }>().error.code, 'rate_limited');
    assert.ok(Number(erin.headers['retry-after']) >= 1);
    // Another tenant is unaffected.
    assert.equal((await call('user:dave@fabrikam')).status, 200);
  });

  it('limits a federated partner domain across its users', async () => {
    const statuses = [];
    for (const user of ['p1', 'p2', 'p3'])
      statuses.push((await call(`partner:${user}@tailspin#Partner.Example`)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    // The same domain spelled differently shares the bucket.
    assert.equal((await call('partner:p4@tailspin2#partner.example')).status, 429);
  });
});
