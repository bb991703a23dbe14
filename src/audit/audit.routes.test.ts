/**
 * `GET /api/v1/admin/audit` as the server wires it, over HTTPS, with the real directory deciding
 * roles: only a global administrator of the tenant (a user, with the audit scope) reads, only that
 * tenant's records come back, paging and filters work, bad queries are 400, and every read and
 * refusal is itself audited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { startTestServer, type TestServer } from '../../test/harness/server.ts';
import { createTenantWithAdmin, createUser } from '../../test/factories/directory.ts';
import type { Authenticator, Principal } from '../platform/http/access.ts';
import { createAuditLog } from './audit-log.ts';
import { createAuditStore } from './audit.store.ts';
import { AUDIT_READ_SCOPE } from './audit.routes.ts';
import { sampleEntry } from './test-support.ts';

/** Principals by bearer value, filled in once the directory has the users. */
const principals = new Map<string, Principal>();
const authenticator: Authenticator = {
  authenticate(request: FastifyRequest) {
    const match = /^Bearer (\w+)$/.exec(request.headers.authorization ?? '');
    return Promise.resolve(match?.[1] === undefined ? undefined : principals.get(match[1]));
  },
};

interface Page {
  value: {
    seq: number;
    occurredAt: string;
    tenantId: string;
    actor: { type: string; id: string | null };
    action: string;
    outcome: string;
    details: Record<string, unknown> | null;
    target: { type: string; id: string } | null;
    hash: string;
  }[];
  '@odata.nextLink'?: string;
}

describe('GET /api/v1/admin/audit', () => {
  let server: TestServer;
  let tenantA = '';
  let tenantB = '';
  const T0 = Date.UTC(2025, 2, 1, 8, 0, 0);

  before(async () => {
    server = await startTestServer({ authenticator });
    const database = server.platform.database;
    const a = await createTenantWithAdmin(database);
    const b = await createTenantWithAdmin(database);
    tenantA = a.tenant.id;
    tenantB = b.tenant.id;
    const userAdmin = await createUser(database, tenantA, { roles: ['userAdministrator'] });
    const member = await createUser(database, tenantA);
    const user = (id: string, tenantId: string, scopes = [AUDIT_READ_SCOPE]): Principal => ({
      kind: 'user',
      id,
      tenantId,
      scopes,
    });
    principals.set('admin', user(a.admin.id, tenantA));
    principals.set('adminNoScope', user(a.admin.id, tenantA, ['User.Read']));
    principals.set('userAdmin', user(userAdmin.user.id, tenantA));
    principals.set('member', user(member.user.id, tenantA));
    principals.set('app', { kind: 'app', id: 'app-1', tenantId: tenantA, roles: [AUDIT_READ_SCOPE] });
    principals.set('adminB', user(b.admin.id, tenantB));
    // Tenant B's administrator presenting a token that claims tenant A: roles are per tenant.
    principals.set('adminBinA', user(b.admin.id, tenantA));

    let clock = T0;
    const seeding = createAuditLog({
      database,
      logger: server.platform.logger,
      store: createAuditStore(database),
      now: () => (clock += 60_000),
    });
    for (let n = 1; n <= 9; n++) await seeding.record(sampleEntry(n, n % 3 === 0 ? tenantB : tenantA));
    await seeding.record(sampleEntry(10, null));
  });
  after(async () => {
    await server.close();
  });

  const get = (who: string | undefined, query = '') =>
    server.fetch(
      `/api/v1/admin/audit${query}`,
      who === undefined ? {} : { headers: { authorization: `Bearer ${who}` } },
    );

  it('serves a global administrator their own tenant only, newest first, with the chain hashes', async () => {
    const response = await get('admin', '?action=user.disabled');
    assert.equal(response.status, 200, response.text);
    assert.equal(response.headers['cache-control'], 'no-store');
    const page = response.json<Page>();
    assert.deepEqual(
      page.value.map((r) => [r.tenantId, r.actor.id, r.action]),
      [
        [tenantA, 'user-7', 'user.disabled'],
        [tenantA, 'user-5', 'user.disabled'],
        [tenantA, 'user-1', 'user.disabled'],
      ],
    );
    const first = page.value[0];
    assert.ok(first);
    assert.equal(first.occurredAt, new Date(T0 + 7 * 60_000).toISOString());
    assert.deepEqual(first.target, { type: 'user', id: 'target-7' });
    assert.deepEqual(first.details, { attempt: 7, viaMfa: false });
    assert.match(first.hash, /^[0-9a-f]{64}$/);

    const other = (await get('adminB')).json<Page>();
    assert.ok(other.value.length > 0);
    assert.ok(other.value.every((r) => r.tenantId === tenantB));
  });

  it('pages with $top and $skiptoken, keeping the filters in the next link', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/api/v1/admin/audit?$top=2&outcome=success&action=signin.password';
    let pages = 0;
    while (path !== undefined) {
      const response = await server.fetch(path, { headers: { authorization: 'Bearer admin' } });
      assert.equal(response.status, 200, response.text);
      const page = response.json<Page>();
      assert.ok(page.value.length <= 2);
      seen.push(...page.value.map((r) => `${r.actor.id ?? ''}:${r.outcome}`));
      path = page['@odata.nextLink'];
      if (path !== undefined) assert.match(path, /outcome=success/);
      pages += 1;
      assert.ok(pages < 10);
    }
    assert.deepEqual(seen, ['user-8:success', 'user-4:success', 'user-2:success']);
    assert.equal(pages, 2);
  });

  it('filters by time, UTC, since inclusive and until exclusive', async () => {
    const since = new Date(T0 + 2 * 60_000).toISOString();
    const until = new Date(T0 + 5 * 60_000).toISOString();
    const response = await get('admin', `?action=user.disabled&since=${since}&until=${until}`);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(
      response.json<Page>().value.map((r) => r.actor.id),
      [],
      'user-3 is tenant-b; nothing of tenant-a was disabled between minutes 2 and 5',
    );
    const window = await get('admin', `?since=${since}&until=${until}`);
    assert.deepEqual(
      window
        .json<Page>()
        .value.filter((r) => r.action !== 'audit.read')
        .map((r) => r.actor.id),
      ['user-4', 'user-2'],
    );
  });

  it('refuses anyone but a global administrator user of the tenant, with the audit scope', async () => {
    assert.equal((await get(undefined)).status, 401);
    for (const who of ['member', 'userAdmin', 'app', 'adminNoScope', 'adminBinA']) {
      const response = await get(who);
      assert.equal(response.status, 403, who);
      assert.equal(response.json<{ error: { code: string } }>().error.code, 'forbidden');
    }
  });

  it('answers 400 to bad queries', async () => {
    for (const query of [
      '?$top=0',
      '?$top=201',
      '?$top=ten',
      '?$skiptoken=abc',
      '?$skiptoken=0',
      '?outcome=maybe',
      '?since=yesterday',
      '?since=2025-03-01T08:00:00%2B01:00',
      '?since=2025-13-45T99:00:00Z',
      '?since=2025-02-30T00:00:00Z',
      '?until=2025-02-28T24:00:00Z',
      `?action=${'a'.repeat(101)}`,
      '?action=bad%0Aaction',
      '?tenant=tenant-b',
      '?since=2025-03-02T00:00:00Z&until=2025-03-01T00:00:00Z',
    ]) {
      const response = await get('admin', query);
      assert.equal(response.status, 400, `${query}: ${response.text}`);
    }
  });

  it('audits every read and every refusal', async () => {
    await get('admin', '?$top=1');
    await get('member');
    const store = createAuditStore(server.platform.database);
    const reads = await store.listForTenant(tenantA, { top: 200, action: 'audit.read' });
    const latest = reads.rows.slice(0, 2);
    assert.deepEqual(
      latest.map((r) => [r.actor_id, r.outcome, r.reason]),
      [
        [principals.get('member')?.id, 'failure', 'not_global_administrator'],
        [principals.get('admin')?.id, 'success', null],
      ],
    );
    assert.ok(latest.every((r) => r.source_ip !== null && r.target_type === 'auditLog'));
    const refusals = reads.rows.filter((r) => r.outcome === 'failure').map((r) => r.reason);
    for (const reason of ['not_a_user', 'scope_missing', 'not_global_administrator'])
      assert.ok(refusals.includes(reason), reason);
  });
});
