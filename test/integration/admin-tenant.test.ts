/**
 * Groups, licences, policies, domains and the sign-in policy through the admin API, with the
 * split between global and user administrators and tenant isolation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PARLEY_MEETINGS } from '../../src/directory/licences.ts';
import { DEFAULT_POLICY_SETTINGS } from '../../src/directory/policies.schema.ts';
import { principalHeaderAuthenticator } from '../fixtures/principal-header-authenticator.ts';
import { adminClient, type AdminClient } from '../factories/admin-client.ts';
import {
  createTenantWithAdmin,
  createUser,
  directoryFor,
  randomDomain,
  type TenantWithAdmin,
} from '../factories/directory.ts';
import { startTestServer, type TestServer } from '../harness/server.ts';

interface Policy {
  id: string;
  kind: string;
  isDefault: boolean;
  settings: Record<string, unknown>;
}

describe('admin API: groups, licences, policies, domains, sign-in policy', () => {
  let server: TestServer;
  let a: TenantWithAdmin;
  let b: TenantWithAdmin;
  let asAdmin: AdminClient;
  let asOtherAdmin: AdminClient;
  let asUserAdmin: AdminClient;
  let memberId: string;

  before(async () => {
    server = await startTestServer({ authenticator: principalHeaderAuthenticator });
    const database = server.platform.database;
    a = await createTenantWithAdmin(database);
    b = await createTenantWithAdmin(database);
    memberId = (await createUser(database, a.tenant.id, { displayName: 'Member' })).user.id;
    const userAdmin = await createUser(database, a.tenant.id, { roles: ['userAdministrator'] });
    asAdmin = adminClient(server, a.tenant.id, a.admin.id);
    asOtherAdmin = adminClient(server, b.tenant.id, b.admin.id);
    asUserAdmin = adminClient(server, a.tenant.id, userAdmin.user.id);
  });
  after(() => server.close());

  it('manages groups and members within the tenant', async () => {
    const created = await asUserAdmin.post('/groups', { displayName: 'Engineering', description: null });
    assert.equal(created.status, 201, created.text);
    const group = created.json<{ id: string; description: string | null }>();
    assert.equal(group.description, null);
    assert.equal((await asAdmin.put(`/groups/${group.id}/members/${memberId}`)).status, 204);
    assert.equal((await asAdmin.put(`/groups/${group.id}/members/${b.admin.id}`)).status, 404);
    const members = await asAdmin.get(`/groups/${group.id}/members`);
    assert.deepEqual(
      members.json<{ members: { id: string }[] }>().members.map((m) => m.id),
      [memberId],
    );
    assert.equal((await asOtherAdmin.get(`/groups/${group.id}`)).status, 404);
    assert.equal((await asOtherAdmin.get(`/groups/${group.id}/members`)).status, 404);
    assert.equal((await asOtherAdmin.delete(`/groups/${group.id}`)).status, 404);
    assert.equal((await asAdmin.patch(`/groups/${group.id}`, { mailNickname: 'has space' })).status, 400);
    assert.equal((await asAdmin.patch(`/groups/${group.id}`, { displayName: 'Eng' })).status, 200);
    assert.equal((await asAdmin.delete(`/groups/${group.id}/members/${memberId}`)).status, 204);
    assert.equal((await asAdmin.delete(`/groups/${group.id}`)).status, 204);
    assert.equal((await asAdmin.get(`/groups/${group.id}`)).status, 404);
  });

  it('shows the licence catalogue with seats and enforces them', async () => {
    const listed = await asUserAdmin.get('/licences');
    const licences = listed.json<{ licences: { skuPartNumber: string; seats: number; assigned: number }[] }>()
      .licences;
    assert.ok(licences.some((l) => l.skuPartNumber === 'PARLEY_MEETINGS' && l.assigned >= 1));
    const seats = await asUserAdmin.put(`/licences/${PARLEY_MEETINGS.skuId}`, { seats: 1 });
    assert.equal(seats.status, 200, seats.text);
    const full = await asAdmin.put(`/users/${memberId}/licences/${PARLEY_MEETINGS.skuId}`);
    assert.equal(full.status, 409, 'the administrator already holds the only seat');
    assert.equal((await asAdmin.put(`/licences/${PARLEY_MEETINGS.skuId}`, { seats: -1 })).status, 400);
  });

  it('edits default and named policies, assigns them, and validates settings', async () => {
    const listed = await asAdmin.get('/policies?kind=meeting');
    assert.equal(listed.status, 200);
    const [meetingDefault] = listed.json<{ policies: Policy[] }>().policies;
    assert.ok(meetingDefault?.isDefault);
    const strict = { ...DEFAULT_POLICY_SETTINGS.meeting, allowMeetingScheduling: false };
    const updated = await asAdmin.put(`/policies/${meetingDefault.id}`, { settings: strict });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.json<Policy>().settings, strict);
    const directory = directoryFor(server.platform.database);
    assert.deepEqual(await directory.service.policies.effectivePolicy(memberId, 'meeting'), strict);

    const named = await asAdmin.post('/policies', {
      kind: 'messaging',
      name: 'Short messages',
      settings: { ...DEFAULT_POLICY_SETTINGS.messaging, maxMessageLength: 500 },
    });
    assert.equal(named.status, 201, named.text);
    const namedId = named.json<Policy>().id;
    assert.equal(
      (await asAdmin.put(`/users/${memberId}/policies/messaging`, { policyId: namedId })).status,
      204,
    );
    assert.equal(
      (await directory.service.policies.effectivePolicy(memberId, 'messaging')).maxMessageLength,
      500,
    );
    assert.equal(
      (await asAdmin.put(`/users/${memberId}/policies/messaging`, { policyId: null })).status,
      204,
    );
    assert.equal(
      (await directory.service.policies.effectivePolicy(memberId, 'messaging')).maxMessageLength,
      28_000,
    );

    for (const settings of [
      { ...strict, allowMeetingScheduling: { $ne: null } },
      { ...strict, unknown: 1 },
      { mode: 'sometimes' },
      { ...DEFAULT_POLICY_SETTINGS.messaging },
    ])
      assert.equal(
        (await asAdmin.put(`/policies/${meetingDefault.id}`, { settings })).status,
        400,
        JSON.stringify(settings),
      );
    assert.equal(
      (await asAdmin.put(`/users/${memberId}/policies/meeting`, { policyId: namedId })).status,
      400,
    );
    assert.equal((await asOtherAdmin.get(`/policies/${meetingDefault.id}`)).status, 404);
    assert.equal(
      (await asOtherAdmin.put(`/policies/${meetingDefault.id}`, { settings: strict })).status,
      404,
    );
    assert.equal((await asUserAdmin.put(`/policies/${meetingDefault.id}`, { settings: strict })).status, 403);
  });

  it('adds and verifies domains and edits the sign-in policy', async () => {
    const name = randomDomain();
    const added = await asAdmin.post('/domains', { name });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.json<{ isVerified: boolean }>().isVerified, false);
    assert.equal((await asOtherAdmin.post('/domains', { name })).status, 409);
    assert.equal((await asOtherAdmin.post(`/domains/${name}/verify`)).status, 404);
    assert.equal(
      (await asAdmin.post('/users', { userPrincipalName: `x@${name}`, displayName: 'x' })).status,
      400,
    );
    assert.equal(
      (await asAdmin.post(`/domains/${name}/verify`)).json<{ isVerified: boolean }>().isVerified,
      true,
    );
    assert.equal(
      (await asAdmin.post('/users', { userPrincipalName: `x@${name}`, displayName: 'x' })).status,
      201,
    );
    assert.equal((await asAdmin.post('/domains', { name: 'bad_domain' })).status, 400);

    const policy = await asAdmin.put('/sign-in-policy', {
      requireMfa: true,
      allowedNetworks: ['10.0.0.0/8', '::1'],
    });
    assert.equal(policy.status, 200, policy.text);
    assert.deepEqual(policy.json(), { requireMfa: true, allowedNetworks: ['10.0.0.0/8', '::1/128'] });
    assert.deepEqual((await asAdmin.get('/sign-in-policy')).json(), policy.json());
    assert.deepEqual((await asOtherAdmin.get('/sign-in-policy')).json(), {
      requireMfa: false,
      allowedNetworks: [],
    });
    for (const allowedNetworks of [['10.0.0.0/33'], ['not-an-ip'], [{ $ne: null }]])
      assert.equal(
        (await asAdmin.put('/sign-in-policy', { requireMfa: false, allowedNetworks })).status,
        400,
      );
    assert.equal(
      (await asUserAdmin.put('/sign-in-policy', { requireMfa: false, allowedNetworks: [] })).status,
      403,
    );
    assert.equal((await asUserAdmin.post('/domains', { name: randomDomain() })).status, 403);
  });
});
