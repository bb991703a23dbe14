/**
 * What each kind of caller sees through the Graph-shaped directory API: colleagues with full or
 * basic user permissions, guests, bots and apps; groups and their members; the organization;
 * tenant isolation; and throttling in Graph's envelope. Runs on SQLite and PostgreSQL.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, requirePostgres } from '../harness/engines.ts';
import { startGraphWorld, type GraphWorld } from '../fixtures/graph-world.ts';

interface Collection {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

const BASIC = ['displayName', 'givenName', 'id', 'mail', 'surname', 'userPrincipalName'];
const keys = (o: object) =>
  Object.keys(o)
    .filter((k) => !k.startsWith('@odata.'))
    .sort();

for (const engine of ENGINES) {
  void describe(`Graph directory audiences [${engine}]`, async () => {
    if (engine === 'postgres' && (await requirePostgres()) === undefined) {
      void describe('PostgreSQL unavailable', { skip: 'PostgreSQL is not running' }, () => undefined);
      return;
    }
    let world: GraphWorld;
    let full: string;
    let basic: string;
    let guest: string;
    let bot: string;
    let app: string;
    let groupsOnly: string;
    before(async () => {
      world = await startGraphWorld({ engine });
      const tenantId = world.home.tenant.id;
      full = world.userCredential(world.admin, ['User.Read.All', 'Group.Read.All']);
      basic = world.userCredential(world.admin, ['User.ReadBasic.All']);
      guest = world.userCredential(world.gina, ['User.Read', 'User.Read.All', 'Group.Read.All']);
      bot = world.credential({
        kind: 'bot',
        id: 'bot-1',
        appId: 'bot-1',
        tenantId,
        roles: ['User.Read.All', 'GroupMember.Read.All'],
      });
      app = world.credential({
        kind: 'app',
        id: 'app-1',
        appId: 'app-1',
        tenantId,
        roles: ['User.Read.All', 'Group.Read.All'],
      });
      groupsOnly = world.userCredential(world.admin, ['GroupMember.Read.All']);
    });
    after(async () => {
      await world.close();
    });

    const read = async (path: string, credential: string) => {
      const res = await world.get(path, credential);
      assert.equal(res.status, 200, res.text);
      return res.json<Record<string, unknown>>();
    };
    const alicePath = (query = '') => `/v1.0/users/${world.alice.id}${query}`;

    it('shows a colleague with User.Read.All the default set, and accountEnabled on request', async () => {
      const alice = await read(alicePath(), full);
      assert.equal(alice.jobTitle, 'Engineer');
      assert.equal(alice.mobilePhone, '+47 400 00 000');
      assert.equal(alice.accountEnabled, undefined);
      const extra = await read(
        alicePath('?$select=id,accountEnabled,userType,department,createdDateTime'),
        full,
      );
      assert.deepEqual(keys(extra), ['accountEnabled', 'createdDateTime', 'department', 'id', 'userType']);
      assert.match(String(extra.createdDateTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it('shows a colleague with only User.ReadBasic.All the basic profile, whatever is selected', async () => {
      assert.deepEqual(keys(await read(alicePath(), basic)), BASIC);
      const asked = await read(alicePath('?$select=displayName,jobTitle,accountEnabled,mobilePhone'), basic);
      assert.deepEqual(keys(asked), ['displayName']);
      const list = (await read('/v1.0/users', basic)) as unknown as Collection;
      assert.ok(list.value.length >= 3);
      for (const user of list.value)
        assert.ok(
          keys(user).every((k) => BASIC.includes(k)),
          keys(user).join(),
        );
      // Filtering on a property the caller cannot see would reveal it.
      for (const filter of ["jobTitle eq 'Engineer'", 'accountEnabled eq false', "userType eq 'Guest'"]) {
        const res = await world.get(`/v1.0/users?$filter=${encodeURIComponent(filter)}`, basic);
        assert.equal(res.status, 403, filter);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'Authorization_RequestDenied');
      }
    });

    it('shows a guest only id, displayName and mail of others, and no directory listing', async () => {
      assert.deepEqual(
        keys(await read(alicePath('?$select=id,displayName,mail,jobTitle,userPrincipalName'), guest)),
        ['displayName', 'id', 'mail'],
      );
      assert.deepEqual(keys(await read(alicePath(), guest)), ['displayName', 'id', 'mail']);
      for (const path of ['/v1.0/users', '/v1.0/groups', `/v1.0/groups/${world.team.id}/members`]) {
        const res = await world.get(path, guest);
        assert.equal(res.status, 403, path);
      }
      // A guest still reads their own full profile.
      const me = await read('/v1.0/me', guest);
      assert.equal(me.jobTitle, 'Consultant');
      assert.equal(me.id, world.gina.id);
    });

    it('shows a bot only id and displayName', async () => {
      assert.deepEqual(keys(await read(alicePath('?$select=id,displayName,mail,accountEnabled'), bot)), [
        'displayName',
        'id',
      ]);
      const list = (await read('/v1.0/users', bot)) as unknown as Collection;
      for (const user of list.value) assert.deepEqual(keys(user), ['displayName', 'id']);
      const members = (await read(`/v1.0/groups/${world.team.id}/members`, bot)) as unknown as Collection;
      for (const member of members.value) assert.deepEqual(keys(member), ['displayName', 'id']);
      const noRoles = world.credential({
        kind: 'bot',
        id: 'bot-2',
        tenantId: world.home.tenant.id,
        roles: [],
      });
      assert.equal((await world.get('/v1.0/users', noRoles)).status, 403);
    });

    it('shows an app with User.Read.All the full set; an app without it nothing', async () => {
      const alice = await read(alicePath('?$select=id,jobTitle,accountEnabled'), app);
      assert.deepEqual(alice, {
        '@odata.context': `${world.server.origin}/v1.0/$metadata#users(id,jobTitle,accountEnabled)/$entity`,
        id: world.alice.id,
        jobTitle: 'Engineer',
        accountEnabled: true,
      });
      const bare = world.credential({ kind: 'app', id: 'app-2', tenantId: world.home.tenant.id, roles: [] });
      assert.equal((await world.get(alicePath(), bare)).status, 403);
      const partner = world.credential({
        kind: 'partner',
        id: 'p',
        tenantId: world.home.tenant.id,
        partnerDomain: 'x.test',
      });
      assert.equal((await world.get(alicePath(), partner)).status, 403);
    });

    it('lists groups and reads one, within the tenant only', async () => {
      const groups = (await read('/v1.0/groups', full)) as unknown as Collection;
      assert.equal(groups['@odata.context'], `${world.server.origin}/v1.0/$metadata#groups`);
      assert.deepEqual(
        groups.value.map((g) => g.displayName),
        ['Team Alpha'],
      );
      const team = await read(`/v1.0/groups/${world.team.id}`, app);
      assert.equal(team.id, world.team.id);
      assert.deepEqual(team.groupTypes, []);
      assert.equal(team.securityEnabled, true);
      const selected = await read(`/v1.0/groups/${world.team.id}?$select=displayName`, full);
      assert.deepEqual(keys(selected), ['displayName']);
      for (const path of [
        `/v1.0/groups/${world.otherTeam.id}`,
        `/v1.0/groups/${world.otherTeam.id}/members`,
      ]) {
        const res = await world.get(path, full);
        assert.equal(res.status, 404, path);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'Request_ResourceNotFound');
        assert.doesNotMatch(res.text, /Team Beta|Bob/);
      }
      assert.equal((await world.get('/v1.0/groups', basic)).status, 403);
      assert.equal((await world.get('/v1.0/groups?$filter=displayName%20eq%20%27x%27', full)).status, 400);
    });

    it('pages group members as directory objects, basic for GroupMember.Read.All', async () => {
      const first = (await read(
        `/v1.0/groups/${world.team.id}/members?$top=1`,
        groupsOnly,
      )) as unknown as Collection;
      assert.equal(first['@odata.context'], `${world.server.origin}/v1.0/$metadata#directoryObjects`);
      assert.equal(first.value.length, 1);
      assert.equal(first.value[0]?.['@odata.type'], '#microsoft.graph.user');
      const next = first['@odata.nextLink'] ?? '';
      assert.ok(next.startsWith(`${world.server.origin}/v1.0/groups/${world.team.id}/members?`), next);
      const second = (await read(
        next.slice(world.server.origin.length),
        groupsOnly,
      )) as unknown as Collection;
      assert.equal(second['@odata.nextLink'], undefined);
      const ids = [...first.value, ...second.value].map((m) => m.id).sort();
      assert.deepEqual(ids, [world.alice.id, world.gina.id].sort());
      for (const member of [...first.value, ...second.value])
        assert.ok(
          keys(member).every((k) => BASIC.includes(k)),
          keys(member).join(),
        );
      const forged = Buffer.from(JSON.stringify({ r: 'members', k: '99' })).toString('base64url');
      assert.equal(
        (await world.get(`/v1.0/groups/${world.team.id}/members?$skiptoken=${forged}`, groupsOnly)).status,
        400,
      );
    });

    it("returns the caller's own organization only", async () => {
      const org = (await read('/v1.0/organization', guest)) as unknown as Collection;
      assert.equal(org['@odata.context'], `${world.server.origin}/v1.0/$metadata#organization`);
      assert.equal(org.value.length, 1);
      const tenant = org.value[0] ?? {};
      assert.equal(tenant.id, world.home.tenant.id);
      assert.equal(tenant.displayName, 'Contoso');
      assert.equal(tenant.tenantType, 'AAD');
      assert.deepEqual(tenant.verifiedDomains, [
        { name: world.home.domain, isDefault: true, isInitial: true, type: 'Managed', capabilities: '' },
      ]);
      assert.doesNotMatch(JSON.stringify(org), new RegExp(world.other.domain));
      const orgApp = world.credential({
        kind: 'app',
        id: 'a',
        tenantId: world.other.tenant.id,
        roles: ['Organization.Read.All'],
      });
      const other = (await read('/v1.0/organization?$select=id', orgApp)) as unknown as Collection;
      assert.deepEqual(other.value, [{ id: world.other.tenant.id }]);
      assert.equal((await world.get('/v1.0/organization', app)).status, 403);
    });
  });
}

describe('Graph throttling', () => {
  let world: GraphWorld;
  before(async () => {
    world = await startGraphWorld({ env: { PARLEY_RATE_LIMIT_PRINCIPAL: '2/60s' } });
  });
  after(async () => {
    await world.close();
  });

  it("answers 429 TooManyRequests with Retry-After in Graph's envelope", async () => {
    const credential = world.userCredential(world.alice, ['User.Read']);
    for (let i = 0; i < 2; i += 1) assert.equal((await world.get('/v1.0/me', credential)).status, 200);
    const res = await world.get('/v1.0/me', credential, { 'client-request-id': 'throttled-1' });
    assert.equal(res.status, 429);
    assert.match(String(res.headers['retry-after']), /^[1-9][0-9]*$/);
    assert.equal(res.headers['client-request-id'], 'throttled-1');
    const body = res.json<{ error: { code: string; innerError: Record<string, string> } }>();
    assert.equal(body.error.code, 'TooManyRequests');
    assert.equal(body.error.innerError['client-request-id'], 'throttled-1');
  });
});
