import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachEngine } from '../../test/harness/engines.ts';
import {
  createGroup,
  createTenantWithAdmin,
  createUser,
  observedDirectory,
  openMigrated,
} from '../../test/factories/directory.ts';
import type { Database } from '../platform/db/database.ts';
import { PARLEY_MEETINGS, PARLEY_STANDARD, SKU_CATALOGUE } from './licences.ts';
import { DEFAULT_POLICY_SETTINGS } from './policies.schema.ts';
import type { Actor } from './service-support.ts';
import { rejectsWith } from './test-support.ts';

const ADMIN: Actor = { type: 'user', id: 'admin-under-test' };

forEachEngine('directory groups, licences and policies', (ctx) => {
  let database: Database;
  let env: ReturnType<typeof observedDirectory>;
  before(async () => {
    database = await openMigrated(ctx);
    env = observedDirectory(database);
  });

  it('keeps group membership within the tenant', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const other = await createTenantWithAdmin(database);
    const groups = env.directory.service.groups;
    const { user: a } = await createUser(database, tenant.id, { displayName: 'A' });
    const { user: b } = await createUser(database, tenant.id, { displayName: 'B' });
    const group = await groups.createGroup(tenant.id, { displayName: 'Ünïcode Team' }, ADMIN);
    assert.equal(group.mailNickname, 'UnicodeTeam');
    await groups.addMember(tenant.id, group.id, a.id, ADMIN);
    await groups.addMember(tenant.id, group.id, b.id, ADMIN);
    await groups.addMember(tenant.id, group.id, b.id, ADMIN);
    assert.deepEqual(
      (await env.directory.reader.listGroupMembers(tenant.id, group.id)).map((u) => u.displayName),
      ['A', 'B'],
    );
    await rejectsWith(groups.addMember(tenant.id, group.id, other.admin.id, ADMIN), 'not_found');
    await rejectsWith(groups.addMember(other.tenant.id, group.id, other.admin.id, ADMIN), 'not_found');
    assert.deepEqual(await env.directory.reader.listGroupMembers(other.tenant.id, group.id), []);
    assert.equal(await env.directory.reader.getGroup(other.tenant.id, group.id), undefined);
    await groups.removeMember(tenant.id, group.id, a.id, ADMIN);
    await rejectsWith(groups.removeMember(tenant.id, group.id, a.id, ADMIN), 'not_found');
    const renamed = await groups.updateGroup(
      tenant.id,
      group.id,
      { displayName: 'Renamed', description: 'd' },
      ADMIN,
    );
    assert.equal(renamed.displayName, 'Renamed');
    assert.equal(renamed.description, 'd');
    const page = await env.directory.reader.listGroups(tenant.id, { top: 10 });
    assert.deepEqual(
      page.groups.map((g) => g.id),
      [group.id],
    );
    await groups.deleteGroup(tenant.id, group.id, ADMIN);
    assert.equal(await env.directory.reader.getGroup(tenant.id, group.id), undefined);
    const actions = env.audit.entries
      .filter((e) => e.target?.id === group.id)
      .map((e) => `${e.action}:${e.outcome}`);
    assert.ok(actions.includes('group.created:success'));
    assert.ok(actions.includes('group.member_added:success'));
    assert.ok(actions.includes('group.deleted:success'));
    const second = await createGroup(database, tenant.id, { members: [a.id] });
    assert.equal((await env.directory.reader.listGroupMembers(tenant.id, second.id)).length, 1);
  });

  it('assigns licences only while seats remain', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const access = env.directory.service.access;
    const licences = await access.tenantLicences(tenant.id);
    assert.deepEqual(
      licences.map((l) => [l.skuPartNumber, l.assigned]),
      SKU_CATALOGUE.map((s) => [s.skuPartNumber, 1]),
    );
    await access.setSeats(tenant.id, PARLEY_MEETINGS.skuId, 2, ADMIN);
    const { user: a } = await createUser(database, tenant.id);
    const { user: b } = await createUser(database, tenant.id);
    assert.equal(await access.userHasLicence(a.id, PARLEY_MEETINGS.skuId), false);
    assert.deepEqual(await access.assignLicence(tenant.id, a.id, 'PARLEY_MEETINGS', ADMIN), [
      PARLEY_MEETINGS.skuId,
    ]);
    assert.equal(await access.userHasLicence(a.id, PARLEY_MEETINGS.skuId), true);
    assert.equal(await access.userHasLicence(a.id, PARLEY_STANDARD.skuId), false);
    // Assigning twice uses no second seat.
    await access.assignLicence(tenant.id, a.id, PARLEY_MEETINGS.skuId, ADMIN);
    await rejectsWith(access.assignLicence(tenant.id, b.id, PARLEY_MEETINGS.skuId, ADMIN), 'conflict');
    await access.unassignLicence(tenant.id, a.id, PARLEY_MEETINGS.skuId, ADMIN);
    await access.assignLicence(tenant.id, b.id, PARLEY_MEETINGS.skuId, ADMIN);
    assert.deepEqual(await env.directory.reader.licences(b.id), [PARLEY_MEETINGS.skuId]);
    await rejectsWith(
      access.assignLicence(tenant.id, b.id, '00000000-0000-0000-0000-000000000000', ADMIN),
      'invalid_request',
    );
    await rejectsWith(access.setSeats(tenant.id, PARLEY_MEETINGS.skuId, -1, ADMIN), 'invalid_request');
    const other = await createTenantWithAdmin(database);
    await rejectsWith(access.assignLicence(other.tenant.id, b.id, PARLEY_STANDARD.skuId, ADMIN), 'not_found');
    const failure = env.audit.entries.find((e) => e.action === 'licence.assigned' && e.outcome === 'failure');
    assert.equal(failure?.reason, 'conflict');
  });

  it('applies the assigned policy, else the tenant default, and validates every write', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const other = await createTenantWithAdmin(database);
    const policies = env.directory.service.policies;
    const { user } = await createUser(database, tenant.id);
    assert.deepEqual(await policies.effectivePolicy(user.id, 'meeting'), DEFAULT_POLICY_SETTINGS.meeting);
    assert.equal(DEFAULT_POLICY_SETTINGS.messaging.allowGiphy, false);

    const strict = {
      ...DEFAULT_POLICY_SETTINGS.meeting,
      allowMeetingScheduling: false,
      allowAnonymousJoin: false,
    };
    const named = await policies.createPolicy(tenant.id, 'meeting', 'No scheduling', strict, ADMIN);
    await policies.assignPolicy(tenant.id, user.id, 'meeting', named.id, ADMIN);
    assert.deepEqual(await policies.effectivePolicy(user.id, 'meeting'), strict);

    const defaults = await policies.getDefaultPolicy(tenant.id, 'meeting');
    const changed = { ...DEFAULT_POLICY_SETTINGS.meeting, defaultLobbyBypassScope: 'organizer' as const };
    await policies.updatePolicy(tenant.id, defaults.id, changed, ADMIN);
    assert.deepEqual(await policies.effectivePolicy(user.id, 'meeting'), strict, 'the assignment still wins');
    await policies.assignPolicy(tenant.id, user.id, 'meeting', null, ADMIN);
    assert.deepEqual(await policies.effectivePolicy(user.id, 'meeting'), changed);
    assert.deepEqual(
      await policies.tenantPolicy(other.tenant.id, 'meeting'),
      DEFAULT_POLICY_SETTINGS.meeting,
    );

    for (const bad of [
      { ...strict, extra: true },
      { ...strict, allowMeetingScheduling: 'yes' },
      { ...strict, defaultLobbyBypassScope: 'anyone' },
      {},
      null,
    ])
      await rejectsWith(policies.updatePolicy(tenant.id, defaults.id, bad, ADMIN), 'invalid_request');
    await rejectsWith(
      policies.updatePolicy(
        tenant.id,
        (await policies.getDefaultPolicy(tenant.id, 'federation')).id,
        {
          allowFederation: true,
          allowedDomains: ['Not A Domain'],
          blockedDomains: [],
        },
        ADMIN,
      ),
      'invalid_request',
    );
    await rejectsWith(
      policies.updatePolicy(
        tenant.id,
        (await policies.getDefaultPolicy(tenant.id, 'presencePrivacy')).id,
        { mode: 'sometimes' },
        ADMIN,
      ),
      'invalid_request',
    );
    const messaging = await policies.getDefaultPolicy(tenant.id, 'messaging');
    await rejectsWith(
      policies.assignPolicy(tenant.id, user.id, 'meeting', messaging.id, ADMIN),
      'invalid_request',
    );
    await rejectsWith(
      policies.createPolicy(tenant.id, 'meeting', 'No scheduling', strict, ADMIN),
      'conflict',
    );
    // Another tenant's policy ids and users are not found.
    await rejectsWith(policies.updatePolicy(other.tenant.id, named.id, strict, ADMIN), 'not_found');
    await rejectsWith(
      policies.assignPolicy(other.tenant.id, user.id, 'meeting', named.id, ADMIN),
      'not_found',
    );
    const { user: outsider } = await createUser(database, other.tenant.id);
    await rejectsWith(
      policies.assignPolicy(other.tenant.id, outsider.id, 'meeting', named.id, ADMIN),
      'not_found',
    );
    assert.ok(env.audit.entries.some((e) => e.action === 'policy.updated' && e.outcome === 'success'));
    assert.ok(env.audit.entries.some((e) => e.action === 'policy.assigned' && e.target?.id === user.id));
  });
});
