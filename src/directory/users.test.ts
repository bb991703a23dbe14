import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { forEachEngine } from '../../test/harness/engines.ts';
import {
  createTenantWithAdmin,
  createUser,
  observedDirectory,
  openMigrated,
  randomDomain,
  randomPassword,
} from '../../test/factories/directory.ts';
import { collect, waitFor } from '../platform/events/test-support.ts';
import type { Database } from '../platform/db/database.ts';
import { rejectsWith } from './test-support.ts';
import type { SessionsRevokedEvent, UserEvent } from './directory.events.ts';
import { POLICY_KINDS } from './policies.schema.ts';
import { SYSTEM_ACTOR, type Actor } from './service-support.ts';

const ADMIN: Actor = { type: 'user', id: 'admin-under-test', sourceIp: '192.0.2.10' };

forEachEngine('directory tenants and users', (ctx) => {
  let database: Database;
  let env: ReturnType<typeof observedDirectory>;
  before(async () => {
    database = await openMigrated(ctx);
    env = observedDirectory(database);
  });

  it('creates a tenant with a lower-case v4 id, a verified default domain and default policies', async () => {
    const domain = randomDomain();
    const tenant = await env.directory.service.tenants.createTenant(
      { displayName: 'Contoso', domain: domain.toUpperCase() },
      ADMIN,
    );
    assert.match(tenant.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(tenant.signInPolicy, { requireMfa: false, allowedNetworks: [] });
    const domains = await env.directory.reader.listDomains(tenant.id);
    assert.deepEqual(domains, [{ name: domain, tenantId: tenant.id, isVerified: true, isDefault: true }]);
    const policies = await env.directory.service.policies.listPolicies(tenant.id);
    assert.deepEqual([...new Set(policies.map((p) => p.kind))].sort(), [...POLICY_KINDS].sort());
    assert.ok(policies.every((p) => p.isDefault));
    assert.equal((await env.directory.reader.resolveTenant(domain.toUpperCase()))?.id, tenant.id);
    assert.equal((await env.directory.reader.resolveTenant(tenant.id.toUpperCase()))?.id, tenant.id);
    assert.equal(await env.directory.reader.resolveTenant('nobody.example'), undefined);
    await rejectsWith(
      env.directory.service.tenants.createTenant({ displayName: 'Again', domain }, ADMIN),
      'conflict',
    );
    await rejectsWith(
      env.directory.service.tenants.createTenant({ displayName: 'Bad', domain: 'not a domain' }, ADMIN),
      'invalid_request',
    );
  });

  it('needs a verified domain of the tenant for a user principal name', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const other = await createTenantWithAdmin(database);
    const users = env.directory.service.users;
    const extra = randomDomain();
    const added = await env.directory.service.tenants.addDomain(tenant.id, extra, ADMIN);
    assert.equal(added.isVerified, false);
    assert.match(added.verificationCode, /^parley-verification=[A-Za-z0-9_-]{24}$/);
    // An unverified domain names no tenant and carries no users.
    assert.equal(await env.directory.reader.resolveTenant(extra), undefined);
    await rejectsWith(
      users.createUser(tenant.id, { userPrincipalName: `a@${extra}`, displayName: 'A' }, ADMIN),
      'invalid_request',
    );
    await rejectsWith(
      users.createUser(tenant.id, { userPrincipalName: `a@${other.domain}`, displayName: 'A' }, ADMIN),
      'invalid_request',
    );
    await rejectsWith(env.directory.service.tenants.addDomain(tenant.id, other.domain, ADMIN), 'conflict');
    await env.directory.service.tenants.verifyDomain(tenant.id, extra, ADMIN);
    const user = await users.createUser(
      tenant.id,
      { userPrincipalName: `Mixed.Case@${extra.toUpperCase()}`, displayName: 'A' },
      ADMIN,
    );
    assert.equal(user.userPrincipalName, `mixed.case@${extra}`);
    assert.equal((await env.directory.reader.resolveTenant(extra))?.id, tenant.id);
    await rejectsWith(
      users.createUser(tenant.id, { userPrincipalName: `MIXED.case@${extra}`, displayName: 'B' }, ADMIN),
      'conflict',
    );
    for (const bad of [
      'no-at-sign',
      '@' + extra,
      `a b@${extra}`,
      `${'x'.repeat(65)}@${extra}`,
      `a..b@${extra}`,
    ])
      await rejectsWith(
        users.createUser(tenant.id, { userPrincipalName: bad, displayName: 'C' }, ADMIN),
        'invalid_request',
      );
    // Another tenant cannot verify or see this tenant's domain.
    await rejectsWith(env.directory.service.tenants.verifyDomain(other.tenant.id, extra, ADMIN), 'not_found');
  });

  it('enforces the password rules and checks passwords without revealing which accounts exist', async () => {
    const { tenant, domain } = await createTenantWithAdmin(database);
    const users = env.directory.service.users;
    const upn = `pat@${domain}`;
    for (const password of ['short-pass', upn, upn.toUpperCase(), 'pat', 'x'.repeat(257)])
      await rejectsWith(
        users.createUser(tenant.id, { userPrincipalName: upn, displayName: 'Pat', password }, ADMIN),
        'invalid_request',
      );
    const password = randomPassword();
    const pat = await users.createUser(
      tenant.id,
      { userPrincipalName: upn, displayName: 'Pat', password },
      ADMIN,
    );
    assert.deepEqual(await users.checkPassword(upn.toUpperCase(), password), { ok: true, user: pat });
    assert.deepEqual(await users.checkPassword(upn, `${password}x`), {
      ok: false,
      reason: 'invalid_credentials',
      userId: pat.id,
    });
    assert.deepEqual(await users.checkPassword(`nobody@${domain}`, password), {
      ok: false,
      reason: 'invalid_credentials',
    });
    // Disabled is only said to someone who knows the password.
    await users.disableUser(tenant.id, pat.id, ADMIN);
    assert.deepEqual(await users.checkPassword(upn, password), {
      ok: false,
      reason: 'account_disabled',
      userId: pat.id,
    });
    assert.deepEqual(await users.checkPassword(upn, 'wrong-password-here'), {
      ok: false,
      reason: 'invalid_credentials',
      userId: pat.id,
    });
    await users.enableUser(tenant.id, pat.id, ADMIN);
    const next = randomPassword();
    await users.setPassword(tenant.id, pat.id, next, ADMIN);
    assert.equal((await users.checkPassword(upn, password)).ok, false);
    assert.equal((await users.checkPassword(upn, next)).ok, true);
    await rejectsWith(
      users.changePassword(tenant.id, pat.id, 'not-the-password', randomPassword(), ADMIN),
      'forbidden',
    );
    const third = randomPassword();
    await users.changePassword(tenant.id, pat.id, next, third, ADMIN);
    assert.equal((await users.checkPassword(upn, third)).ok, true);
    const audit = JSON.stringify(env.audit.entries);
    for (const secret of [password, next, third])
      assert.ok(!audit.includes(secret), 'a password reached the audit log');
    assert.ok(env.audit.entries.some((e) => e.action === 'user.password_reset' && e.target?.id === pat.id));
  });

  it('disabling a user revokes its sessions in the same transaction as the change', async () => {
    let clock = 1_000_000_000_000;
    const timed = observedDirectory(database, { now: () => clock });
    const revoked = collect(timed.bus, 'directory.user.sessions_revoked');
    const updated = collect(timed.bus, 'directory.user.updated');
    const { tenant } = await createTenantWithAdmin(database);
    const { user } = await createUser(database, tenant.id);
    clock += 5000;
    const disabled = await timed.directory.service.users.disableUser(tenant.id, user.id, ADMIN);
    assert.equal(disabled.accountEnabled, false);
    assert.equal(disabled.sessionsValidAfter, clock);
    await waitFor(() => revoked.length === 1 && updated.length === 1, 'directory events');
    assert.deepEqual(revoked[0]?.payload, {
      tenantId: tenant.id,
      userId: user.id,
      at: clock,
    } satisfies SessionsRevokedEvent);
    assert.deepEqual(updated[0]?.payload, {
      tenantId: tenant.id,
      userId: user.id,
      changed: ['accountEnabled'],
    } satisfies UserEvent);
    const rows = await database.db
      .selectFrom('outbox_events')
      .select(['topic', 'payload'])
      .where('topic', '=', 'directory.user.sessions_revoked')
      .execute();
    assert.ok(rows.some((r) => (JSON.parse(r.payload) as SessionsRevokedEvent).userId === user.id));
    const entry = timed.audit.entries.find((e) => e.action === 'user.disabled');
    assert.deepEqual(entry, {
      tenantId: tenant.id,
      actor: { type: 'user', id: 'admin-under-test' },
      sourceIp: '192.0.2.10',
      action: 'user.disabled',
      target: { type: 'user', id: user.id },
      outcome: 'success',
    });

    clock += 5000;
    const again = await timed.directory.service.users.revokeSessions(tenant.id, user.id, ADMIN);
    assert.equal(again.sessionsValidAfter, clock);
    await waitFor(() => revoked.length === 2, 'second revocation');
    clock += 1;
    const enabled = await timed.directory.service.users.enableUser(tenant.id, user.id, ADMIN);
    assert.equal(enabled.accountEnabled, true);
    assert.equal(enabled.sessionsValidAfter, clock - 1, 'enabling does not move the revocation instant');
  });

  it('updates profile fields and says which changed', async () => {
    const { tenant, domain } = await createTenantWithAdmin(database);
    const { user } = await createUser(database, tenant.id);
    const updated = collect(env.bus, 'directory.user.updated');
    const changed = await env.directory.service.users.updateUser(
      tenant.id,
      user.id,
      {
        displayName: 'Renamed',
        jobTitle: 'Engineer',
        businessPhones: ['+1 555 0100'],
        userPrincipalName: `renamed@${domain}`,
      },
      ADMIN,
    );
    assert.equal(changed.displayName, 'Renamed');
    assert.equal(changed.jobTitle, 'Engineer');
    assert.deepEqual(changed.businessPhones, ['+1 555 0100']);
    assert.equal(changed.userPrincipalName, `renamed@${domain}`);
    await waitFor(() => updated.some((e) => (e.payload as UserEvent).userId === user.id), 'user.updated');
    const payload = updated.find((e) => (e.payload as UserEvent).userId === user.id)?.payload as UserEvent;
    assert.deepEqual([...(payload.changed ?? [])].sort(), [
      'businessPhones',
      'displayName',
      'jobTitle',
      'userPrincipalName',
    ]);
    await rejectsWith(
      env.directory.service.users.updateUser(tenant.id, user.id, { displayName: '  ' }, ADMIN),
      'invalid_request',
    );
  });

  it('keeps every tenant apart', async () => {
    const a = await createTenantWithAdmin(database);
    const b = await createTenantWithAdmin(database);
    const { user } = await createUser(database, a.tenant.id);
    assert.equal(await env.directory.reader.getUser(b.tenant.id, user.id), undefined);
    assert.equal(await env.directory.reader.getUser(b.tenant.id, user.userPrincipalName), undefined);
    assert.equal(
      (await env.directory.reader.getUser(a.tenant.id, user.userPrincipalName.toUpperCase()))?.id,
      user.id,
    );
    const users = env.directory.service.users;
    await rejectsWith(users.updateUser(b.tenant.id, user.id, { displayName: 'x' }, ADMIN), 'not_found');
    await rejectsWith(users.disableUser(b.tenant.id, user.id, ADMIN), 'not_found');
    await rejectsWith(users.setPassword(b.tenant.id, user.id, randomPassword(), ADMIN), 'not_found');
    const listed = await env.directory.reader.listUsers(b.tenant.id, { top: 100, filters: [] });
    assert.deepEqual(
      listed.users.map((u) => u.id),
      [b.admin.id],
    );
    const failure = env.audit.entries.find((e) => e.action === 'user.disabled' && e.tenantId === b.tenant.id);
    assert.equal(failure?.outcome, 'failure');
    assert.equal(failure.reason, 'not_found');
  });

  it('never disables or demotes the last enabled global administrator', async () => {
    const { tenant, admin } = await createTenantWithAdmin(database);
    const { users, access } = env.directory.service;
    await rejectsWith(users.disableUser(tenant.id, admin.id, ADMIN), 'conflict');
    await rejectsWith(access.removeRole(tenant.id, admin.id, 'globalAdministrator', ADMIN), 'conflict');
    const { user: second } = await createUser(database, tenant.id, { roles: ['globalAdministrator'] });
    await users.disableUser(tenant.id, second.id, ADMIN);
    // A disabled administrator does not count.
    await rejectsWith(users.disableUser(tenant.id, admin.id, ADMIN), 'conflict');
    await users.enableUser(tenant.id, second.id, ADMIN);
    await access.removeRole(tenant.id, admin.id, 'globalAdministrator', ADMIN);
    assert.deepEqual(await env.directory.reader.adminRoles(tenant.id, admin.id), []);
    assert.deepEqual(await env.directory.reader.adminRoles(tenant.id, second.id), ['globalAdministrator']);
    await rejectsWith(access.removeRole(tenant.id, second.id, 'globalAdministrator', ADMIN), 'conflict');
  });

  it('pages and filters users', async () => {
    const { tenant, domain } = await createTenantWithAdmin(database);
    for (const name of ['Alice', 'al_ice', 'Bob', 'Alfred', 'Carol'])
      await createUser(database, tenant.id, {
        displayName: name,
        userPrincipalName: `${name.replace('_', '-').toLowerCase()}@${domain}`,
      });
    const seen: string[] = [];
    let afterKey: string | undefined;
    do {
      const page = await env.directory.reader.listUsers(tenant.id, {
        top: 2,
        filters: [],
        ...(afterKey ? { afterKey } : {}),
      });
      assert.ok(page.users.length <= 2);
      seen.push(...page.users.map((u) => u.displayName));
      afterKey = page.nextKey;
    } while (afterKey !== undefined);
    assert.equal(seen.length, 6);
    assert.deepEqual([...seen].sort(), ['Administrator', 'Alfred', 'Alice', 'Bob', 'Carol', 'al_ice'].sort());
    const startsAl = await env.directory.reader.listUsers(tenant.id, {
      top: 10,
      filters: [{ field: 'displayName', op: 'startswith', value: 'AL_' }],
    });
    assert.deepEqual(
      startsAl.users.map((u) => u.displayName),
      ['al_ice'],
      '_ is literal, matching is case-insensitive',
    );
    const percent = await env.directory.reader.listUsers(tenant.id, {
      top: 10,
      filters: [{ field: 'displayName', op: 'startswith', value: '%' }],
    });
    assert.deepEqual(percent.users, []);
    const bob = await env.directory.reader.listUsers(tenant.id, {
      top: 10,
      filters: [
        { field: 'userPrincipalName', op: 'eq', value: `BOB@${domain}` },
        { field: 'accountEnabled', op: 'eq', value: true },
      ],
    });
    assert.deepEqual(
      bob.users.map((u) => u.displayName),
      ['Bob'],
    );
    await rejectsWith(
      env.directory.reader.listUsers(tenant.id, { top: 10, filters: [], afterKey: 'not-a-key!' }),
      'bad_request',
    );
    await rejectsWith(
      env.directory.reader.listUsers(tenant.id, {
        top: 10,
        filters: [{ field: 'accountEnabled', op: 'startswith', value: 'x' }],
      }),
      'invalid_request',
    );
  });

  it('validates and normalises the sign-in policy networks', async () => {
    const { tenant } = await createTenantWithAdmin(database);
    const tenants = env.directory.service.tenants;
    const saved = await tenants.updateSignInPolicy(
      tenant.id,
      { requireMfa: true, allowedNetworks: ['10.0.0.0/8', '2001:DB8::/32', '192.0.2.7', '10.0.0.0/8'] },
      ADMIN,
    );
    assert.deepEqual(saved, {
      requireMfa: true,
      allowedNetworks: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32'],
    });
    assert.deepEqual((await env.directory.reader.getTenant(tenant.id))?.signInPolicy, saved);
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '', '::/129', '1.2.3.4/-1'])
      await rejectsWith(
        tenants.updateSignInPolicy(tenant.id, { requireMfa: false, allowedNetworks: [bad] }, ADMIN),
        'invalid_request',
      );
    assert.deepEqual(await tenants.getSignInPolicy(tenant.id), saved);
    assert.ok(SYSTEM_ACTOR.type === 'system');
  });
});
