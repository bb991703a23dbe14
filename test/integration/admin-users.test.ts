/**
 * The admin API for users through a full server: who may call it, tenant isolation, hostile
 * input, the session revocation a disable causes, and the audit trail of every change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuditStore } from '../../src/audit/audit.store.ts';
import type { SessionsRevokedEvent } from '../../src/directory/directory.events.ts';
import { PARLEY_MEETINGS } from '../../src/directory/licences.ts';
import { principalHeaderAuthenticator } from '../fixtures/principal-header-authenticator.ts';
import { adminClient, type AdminClient } from '../factories/admin-client.ts';
import {
  createTenantWithAdmin,
  createUser,
  directoryFor,
  randomPassword,
  type TenantWithAdmin,
} from '../factories/directory.ts';
import { ENGINES, requirePostgres } from '../harness/engines.ts';
import { startTestServer, type TestServer } from '../harness/server.ts';
import type { Engine } from '../../src/platform/db/database.ts';

interface ErrorBody {
  error: { code: string };
}
interface Detail {
  user: Record<string, unknown> & { id: string; accountEnabled: boolean; sessionsValidAfter: string };
  roles: string[];
  licences: string[];
}

for (const engine of ENGINES)
  void describe(`admin API: users [${engine}]`, async () => {
    if (engine === 'postgres' && (await requirePostgres()) === undefined) {
      void describe('PostgreSQL unavailable', { skip: 'PostgreSQL is not running' }, () => undefined);
      return;
    }
    usersSuite(engine);
  });

function usersSuite(engine: Engine): void {
  let server: TestServer;
  let a: TenantWithAdmin;
  let b: TenantWithAdmin;
  let asAdmin: AdminClient;
  let asOtherAdmin: AdminClient;
  let asUserAdmin: AdminClient;
  let asMember: AdminClient;
  let memberId: string;
  let userAdminId: string;

  before(async () => {
    server = await startTestServer({ engine, authenticator: principalHeaderAuthenticator });
    const database = server.platform.database;
    a = await createTenantWithAdmin(database);
    b = await createTenantWithAdmin(database);
    const member = await createUser(database, a.tenant.id, { displayName: 'Member' });
    const userAdmin = await createUser(database, a.tenant.id, {
      displayName: 'User admin',
      roles: ['userAdministrator'],
    });
    memberId = member.user.id;
    userAdminId = userAdmin.user.id;
    asAdmin = adminClient(server, a.tenant.id, a.admin.id);
    asOtherAdmin = adminClient(server, b.tenant.id, b.admin.id);
    asUserAdmin = adminClient(server, a.tenant.id, userAdminId);
    asMember = adminClient(server, a.tenant.id, memberId);
  });
  after(() => server.close());

  it('refuses callers without credentials (401), non-admins and apps (403)', async () => {
    assert.equal((await server.fetch('/api/v1/admin/users')).status, 401);
    const member = await asMember.get('/users');
    assert.equal(member.status, 403);
    assert.equal(member.json<ErrorBody>().error.code, 'forbidden');
    assert.equal((await adminClient(server, a.tenant.id, a.admin.id, 'app').get('/users')).status, 403);
    // An admin of tenant B presenting tenant A's id is still only known in tenant B.
    assert.equal((await adminClient(server, a.tenant.id, b.admin.id).get('/users')).status, 403);
  });

  it('creates, reads, pages, changes and resets users without ever returning a credential', async () => {
    const password = randomPassword();
    const created = await asAdmin.post('/users', {
      userPrincipalName: `New.Person@${a.domain.toUpperCase()}`,
      displayName: 'New Person',
      password,
      jobTitle: 'Tester',
    });
    assert.equal(created.status, 201, created.text);
    const detail = created.json<Detail>();
    assert.equal(detail.user.userPrincipalName, `new.person@${a.domain}`);
    assert.deepEqual(detail.roles, []);
    assert.ok(!created.text.includes(password));
    assert.ok(!/hash|password/i.test(Object.keys(detail.user).join(',')));
    const id = detail.user.id;

    const first = await asAdmin.get('/users?top=1');
    assert.equal(first.status, 200);
    const page = first.json<{ users: { id: string }[]; nextKey?: string }>();
    assert.equal(page.users.length, 1);
    assert.ok(page.nextKey);
    const second = await asAdmin.get(`/users?top=1&after=${page.nextKey}`);
    assert.notEqual(second.json<{ users: { id: string }[] }>().users[0]?.id, page.users[0]?.id);
    const search = await asAdmin.get('/users?search=new%20p');
    assert.deepEqual(
      search.json<{ users: { id: string }[] }>().users.map((u) => u.id),
      [id],
    );

    const patched = await asAdmin.patch(`/users/${id.toUpperCase()}`, { department: 'QA', jobTitle: null });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json<Detail>().user.department, 'QA');
    assert.equal(patched.json<Detail>().user.jobTitle, null);

    const next = randomPassword();
    const reset = await asAdmin.post(`/users/${id}/password`, { password: next });
    assert.equal(reset.status, 204);
    const credentials = directoryFor(server.platform.database).credentials;
    assert.equal((await credentials.checkPassword(`new.person@${a.domain}`, password)).ok, false);
    assert.equal((await credentials.checkPassword(`new.person@${a.domain}`, next)).ok, true);
    const weak = await asAdmin.post(`/users/${id}/password`, { password: 'short' });
    assert.equal(weak.status, 400);
    assert.ok(
      !server.rawLogs().includes(password) && !server.rawLogs().includes(next),
      'a password reached the log',
    );

    const licence = await asAdmin.put(`/users/${id}/licences/${PARLEY_MEETINGS.skuId}`);
    assert.deepEqual(licence.json<{ licences: string[] }>().licences, [PARLEY_MEETINGS.skuId]);
    assert.equal((await asAdmin.put(`/users/${id}/licences/UNKNOWN_SKU`)).status, 400);
  });

  it('disabling a user ends its sessions: sessions_valid_after moves and the event is written', async () => {
    const { user } = await createUser(server.platform.database, a.tenant.id);
    const before = Date.now();
    const disabled = await asAdmin.post(`/users/${user.id}/disable`);
    assert.equal(disabled.status, 200, disabled.text);
    const body = disabled.json<Detail>();
    assert.equal(body.user.accountEnabled, false);
    assert.ok(Date.parse(body.user.sessionsValidAfter) >= before - 1);
    const rows = await server.platform.database.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('topic', '=', 'directory.user.sessions_revoked')
      .execute();
    const events = rows
      .map((r) => JSON.parse(r.payload) as SessionsRevokedEvent)
      .filter((e) => e.userId === user.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.tenantId, a.tenant.id);
    assert.equal(events[0].at, Date.parse(body.user.sessionsValidAfter));
    assert.equal((await asAdmin.post(`/users/${user.id}/enable`)).json<Detail>().user.accountEnabled, true);
    const revoked = await asAdmin.post(`/users/${user.id}/revoke-sessions`);
    assert.ok(
      Date.parse(revoked.json<Detail>().user.sessionsValidAfter) >= Date.parse(body.user.sessionsValidAfter),
    );

    const audit = await createAuditStore(server.platform.database).listForTenant(a.tenant.id, {
      top: 200,
      action: 'user.disabled',
    });
    const entry = audit.rows.find((r) => r.target_id === user.id);
    assert.equal(entry?.actor_type, 'user');
    assert.equal(entry.actor_id, a.admin.id);
    assert.equal(entry.outcome, 'success');
    assert.match(entry.source_ip ?? '', /127\.0\.0\.1/);
  });

  it('refuses hostile and malformed input with 400 or 413, never 500', async () => {
    const cases: [string, unknown][] = [
      ['operator object', { userPrincipalName: { $ne: null }, displayName: 'x' }],
      ['operator in display name', { userPrincipalName: `x@${a.domain}`, displayName: { $gt: '' } }],
      ['unknown property', { userPrincipalName: `x@${a.domain}`, displayName: 'x', isAdmin: true }],
      [
        'prototype key',
        JSON.parse(`{"userPrincipalName":"x@${a.domain}","displayName":"x","__proto__":{"admin":true}}`),
      ],
      ['oversize string', { userPrincipalName: `x@${a.domain}`, displayName: 'x'.repeat(257) }],
      ['object for string', { userPrincipalName: { value: `x@${a.domain}` }, displayName: 'x' }],
      [
        'number for boolean list',
        { userPrincipalName: `x@${a.domain}`, displayName: 'x', businessPhones: [{}] },
      ],
      ['missing field', { displayName: 'x' }],
      ['bad UPN', { userPrincipalName: 'not-an-upn', displayName: 'x' }],
      ['foreign domain', { userPrincipalName: `x@${b.domain}`, displayName: 'x' }],
    ];
    for (const [name, body] of cases) {
      const response = await asAdmin.post('/users', body);
      assert.equal(response.status, 400, `${name}: ${response.text}`);
    }
    assert.equal((await asAdmin.raw('POST', '/users', '{"userPrincipalName":')).status, 400);
    const huge = await asAdmin.raw(
      'POST',
      '/users',
      JSON.stringify({ displayName: 'x'.repeat(2 * 1024 * 1024) }),
    );
    assert.equal(huge.status, 413);
    assert.equal((await asAdmin.get('/users/not-a-uuid')).status, 400);
    assert.equal((await asAdmin.get('/users?top=0')).status, 400);
    assert.equal((await asAdmin.get('/users?top=abc')).status, 400);
    assert.equal((await asAdmin.get('/users?after=%7B%7D')).status, 400);
    assert.equal((await asAdmin.get('/users?after=bm90LWEta2V5')).status, 400);
    assert.equal((await asAdmin.patch(`/users/${memberId}`, {})).status, 400);
    assert.equal((await asAdmin.put(`/users/${memberId}/roles/superUser`)).status, 400);
    assert.ok(!server.rawLogs().includes('"status":500'));
  });

  it('answers 404 for ids of another tenant', async () => {
    for (const response of [
      await asOtherAdmin.get(`/users/${memberId}`),
      await asOtherAdmin.patch(`/users/${memberId}`, { displayName: 'stolen' }),
      await asOtherAdmin.post(`/users/${memberId}/disable`),
      await asOtherAdmin.post(`/users/${memberId}/password`, { password: randomPassword() }),
      await asOtherAdmin.put(`/users/${memberId}/licences/${PARLEY_MEETINGS.skuId}`),
      await asOtherAdmin.put(`/users/${memberId}/roles/globalAdministrator`),
    ])
      assert.equal(response.status, 404, response.text);
    const mine = await asAdmin.get(`/users/${memberId}`);
    assert.equal(mine.json<Detail>().user.displayName, 'Member');
  });

  it('keeps the last global administrator', async () => {
    const disable = await asOtherAdmin.post(`/users/${b.admin.id}/disable`);
    assert.equal(disable.status, 409);
    assert.equal(disable.json<ErrorBody>().error.code, 'conflict');
    assert.equal((await asOtherAdmin.delete(`/users/${b.admin.id}/roles/globalAdministrator`)).status, 409);
    const { user } = await createUser(server.platform.database, b.tenant.id);
    assert.equal((await asOtherAdmin.put(`/users/${user.id}/roles/globalAdministrator`)).status, 204);
    assert.equal((await asOtherAdmin.delete(`/users/${b.admin.id}/roles/globalAdministrator`)).status, 204);
    const detail = await adminClient(server, b.tenant.id, user.id).get(`/users/${b.admin.id}`);
    assert.deepEqual(detail.json<Detail>().roles, []);
  });

  it('lets a user administrator manage users, groups and licences but not admins, roles or tenant settings', async () => {
    const created = await asUserAdmin.post('/users', {
      userPrincipalName: `by-ua@${a.domain}`,
      displayName: 'By UA',
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json<Detail>().user.id;
    assert.equal((await asUserAdmin.post(`/users/${id}/disable`)).status, 200);
    assert.equal((await asUserAdmin.put(`/users/${id}/licences/${PARLEY_MEETINGS.skuId}`)).status, 200);
    assert.equal((await asUserAdmin.post('/groups', { displayName: 'UA group' })).status, 201);
    assert.equal((await asUserAdmin.get('/licences')).status, 200);
    for (const response of [
      await asUserAdmin.post(`/users/${a.admin.id}/disable`),
      await asUserAdmin.post(`/users/${a.admin.id}/password`, { password: randomPassword() }),
      await asUserAdmin.patch(`/users/${a.admin.id}`, { displayName: 'Taken over' }),
      await asUserAdmin.put(`/users/${id}/roles/globalAdministrator`),
      await asUserAdmin.put(`/users/${userAdminId}/roles/globalAdministrator`),
      await asUserAdmin.put(`/users/${id}/policies/meeting`, { policyId: null }),
      await asUserAdmin.get('/policies'),
      await asUserAdmin.get('/apps'),
      await asUserAdmin.get('/domains'),
      await asUserAdmin.get('/sign-in-policy'),
    ])
      assert.equal(response.status, 403, response.text);
    const denied = await createAuditStore(server.platform.database).listForTenant(a.tenant.id, {
      top: 100,
      action: 'admin.access_denied',
    });
    assert.ok(denied.rows.some((r) => r.actor_id === userAdminId && r.outcome === 'failure'));
  });
}
