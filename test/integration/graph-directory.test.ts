/**
 * The Graph-shaped directory API through the full server: Graph's error envelope and correlation
 * headers on every kind of refusal, `/me`, `/users` with `$filter`/`$select`/paging followed to
 * the end, and bad OData of every sort. Runs on SQLite and PostgreSQL.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, requirePostgres } from '../harness/engines.ts';
import type { TestResponse } from '../harness/https-client.ts';
import { FAILING_TENANT, startGraphWorld, type GraphWorld } from '../fixtures/graph-world.ts';

const DEFAULT_SET = [
  'businessPhones',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];

interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}

/** Asserts Graph's envelope and headers; returns the error for further checks. */
function assertGraphError(res: TestResponse, status: number, code: string): GraphErrorBody['error'] {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json<GraphErrorBody>();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error), ['code', 'message', 'innerError']);
  assert.equal(body.error.code, code);
  assert.deepEqual(Object.keys(body.error.innerError), ['date', 'request-id', 'client-request-id']);
  assert.match(body.error.innerError.date ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.equal(res.headers['request-id'], body.error.innerError['request-id']);
  assert.equal(res.headers['client-request-id'], body.error.innerError['client-request-id']);
  assert.ok((body.error.innerError['request-id'] ?? '').length > 0);
  return body.error;
}

interface Collection {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

for (const engine of ENGINES) {
  void describe(`Graph directory API [${engine}]`, async () => {
    if (engine === 'postgres' && (await requirePostgres()) === undefined) {
      void describe('PostgreSQL unavailable', { skip: 'PostgreSQL is not running' }, () => undefined);
      return;
    }
    let world: GraphWorld;
    let full: string;
    let selfOnly: string;
    before(async () => {
      world = await startGraphWorld({ engine, people: 25 });
      full = world.userCredential(world.alice, ['User.Read', 'User.Read.All']);
      selfOnly = world.userCredential(world.alice, ['User.Read']);
    });
    after(async () => {
      await world.close();
    });

    it('answers a missing or unknown credential with 401 InvalidAuthenticationToken and WWW-Authenticate', async () => {
      const missing = await world.get('/v1.0/me');
      const error = assertGraphError(missing, 401, 'InvalidAuthenticationToken');
      assert.equal(error.message, 'Access token is empty.');
      assert.match(String(missing.headers['www-authenticate']), /^Bearer/);
      const unknown = await world.get('/v1.0/users', 'x'.repeat(32));
      assert.equal(
        assertGraphError(unknown, 401, 'InvalidAuthenticationToken').message,
        'Access token validation failure.',
      );
    });

    it('echoes a well-formed client-request-id and replaces a bad one', async () => {
      const echoed = await world.get('/v1.0/me', full, {
        'client-request-id': 'a1b2c3d4-0000-4000-8000-abcdefabcdef',
      });
      assert.equal(echoed.status, 200);
      assert.equal(echoed.headers['client-request-id'], 'a1b2c3d4-0000-4000-8000-abcdefabcdef');
      assert.ok(String(echoed.headers['request-id']).length > 0);
      const refused = await world.get('/v1.0/nowhere', undefined, { 'client-request-id': 'keep-me-1' });
      assert.equal(assertGraphError(refused, 400, 'BadRequest').innerError['client-request-id'], 'keep-me-1');
      for (const bad of ['has space', 'x'.repeat(65), '<script>', 'a;b', 'under_score', '']) {
        const res = await world.get('/v1.0/me', undefined, { 'client-request-id': bad });
        const id =
          assertGraphError(res, 401, 'InvalidAuthenticationToken').innerError['client-request-id'] ?? '';
        assert.notEqual(id, bad);
        assert.match(id, /^[0-9a-f-]{36}$/);
      }
    });

    it("names an unknown segment as Graph does, with Graph's envelope", async () => {
      const res = await world.get('/v1.0/chatz', full);
      assert.equal(
        assertGraphError(res, 400, 'BadRequest').message,
        "Resource not found for the segment 'chatz'.",
      );
      const deep = await world.get(`/v1.0/users/${world.alice.id}/photo`, full);
      assert.equal(
        assertGraphError(deep, 400, 'BadRequest').message,
        "Resource not found for the segment 'photo'.",
      );
      // The native API keeps its own envelope.
      const native = await world.get('/api/v1/nowhere', full);
      assert.equal(native.status, 404);
      assert.equal(native.json<{ error: { code: string } }>().error.code, 'not_found');
    });

    it('answers a missing permission with 403 Authorization_RequestDenied', async () => {
      const error = assertGraphError(
        await world.get('/v1.0/users', selfOnly),
        403,
        'Authorization_RequestDenied',
      );
      assert.equal(error.message, 'Insufficient privileges to complete the operation.');
      const noScopes = world.userCredential(world.alice, ['Calendars.Read']);
      assertGraphError(await world.get('/v1.0/me', noScopes), 403, 'Authorization_RequestDenied');
    });

    it('answers a server fault with 500 generalException and no internals', async () => {
      const broken = world.credential({
        kind: 'user',
        id: world.alice.id,
        tenantId: FAILING_TENANT,
        scopes: ['User.Read.All'],
      });
      const res = await world.get('/v1.0/users', broken);
      const error = assertGraphError(res, 500, 'generalException');
      assert.doesNotMatch(res.text, /secret_column|internal_table|stack/);
      assert.equal(error.message, 'General exception while processing.');
    });

    it("GET /me returns the caller's default property set with @odata.context", async () => {
      const res = await world.get('/v1.0/me', selfOnly);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/json;odata\.metadata=minimal/);
      const me = res.json<Record<string, unknown>>();
      assert.equal(me['@odata.context'], `${world.server.origin}/v1.0/$metadata#users/$entity`);
      assert.deepEqual(
        Object.keys(me)
          .filter((k) => k !== '@odata.context')
          .sort(),
        [...DEFAULT_SET].sort(),
      );
      assert.equal(me.id, world.alice.id);
      assert.equal(me.jobTitle, 'Engineer');
      assert.deepEqual(me.businessPhones, ['+47 22 00 00 00']);
      const selected = (
        await world.get('/v1.0/me?$select=displayName,accountEnabled,department', selfOnly)
      ).json<Record<string, unknown>>();
      assert.deepEqual(selected, {
        '@odata.context': `${world.server.origin}/v1.0/$metadata#users(displayName,accountEnabled,department)/$entity`,
        displayName: 'Alice Archer',
        accountEnabled: true,
        department: 'Research',
      });
    });

    it('GET /me with an app-only credential is a 400, as in Graph', async () => {
      const app = world.credential({
        kind: 'app',
        id: 'app-1',
        appId: 'app-1',
        tenantId: world.home.tenant.id,
        roles: ['User.Read.All'],
      });
      const error = assertGraphError(await world.get('/v1.0/me', app), 400, 'BadRequest');
      assert.equal(error.message, '/me request is only valid with delegated authentication flow.');
    });

    it('GET /users/{id | upn} reads within the tenant only', async () => {
      const byId = await world.get(`/v1.0/users/${world.gina.id}`, full);
      assert.equal(byId.status, 200);
      assert.equal(byId.json<{ displayName: string }>().displayName, 'Gina Guest');
      const byUpn = await world.get(`/v1.0/users/${encodeURIComponent(world.alice.userPrincipalName)}`, full);
      assert.equal(byUpn.json<{ id: string }>().id, world.alice.id);
      for (const foreign of [
        world.bob.id,
        world.bob.userPrincipalName,
        '3f1c2a9e-0000-4000-8000-000000000000',
      ]) {
        const res = await world.get(`/v1.0/users/${encodeURIComponent(foreign)}`, full);
        assertGraphError(res, 404, 'Request_ResourceNotFound');
        assert.doesNotMatch(res.text, /Bob Other/);
      }
      // Without a permission to read others, even a missing id is a 403: ids cannot be probed.
      assertGraphError(
        await world.get(`/v1.0/users/${world.bob.id}`, selfOnly),
        403,
        'Authorization_RequestDenied',
      );
      const self = await world.get(`/v1.0/users/${world.alice.id}`, selfOnly);
      assert.equal(self.json<{ jobTitle: string }>().jobTitle, 'Engineer');
    });

    it('pages /users with $top and absolute next links to the end, without duplicates', async () => {
      const seen: string[] = [];
      let url: string | undefined =
        `/v1.0/users?$top=10&$filter=${encodeURIComponent("startswith(displayName,'Person ')")}&$select=id,displayName`;
      let pages = 0;
      while (url !== undefined) {
        const res = await world.get(url, full);
        assert.equal(res.status, 200, res.text);
        const page = res.json<Collection>();
        assert.equal(page['@odata.context'], `${world.server.origin}/v1.0/$metadata#users(id,displayName)`);
        for (const user of page.value) {
          assert.deepEqual(Object.keys(user).sort(), ['displayName', 'id']);
          seen.push(String(user.id));
        }
        pages += 1;
        url = page['@odata.nextLink'];
        if (url !== undefined) {
          assert.ok(url.startsWith(`${world.server.origin}/v1.0/users?`), url);
          assert.equal(new URL(url).searchParams.get('$top'), '10');
          url = url.slice(world.server.origin.length);
        }
      }
      assert.equal(pages, 3);
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen).size, 25);
      assert.deepEqual(new Set(seen), new Set(world.people.map((p) => p.id)));
    });

    it('filters /users on the supported fields', async () => {
      const names = async (filter: string) => {
        const res = await world.get(`/v1.0/users?$filter=${encodeURIComponent(filter)}`, full);
        assert.equal(res.status, 200, res.text);
        return res.json<Collection>().value.map((u) => u.displayName);
      };
      assert.deepEqual(await names(`userPrincipalName eq '${world.alice.userPrincipalName}'`), [
        'Alice Archer',
      ]);
      assert.deepEqual(await names("userType eq 'Guest'"), ['Gina Guest']);
      assert.deepEqual(await names("jobTitle eq 'engineer' and startswith(displayName,'ali')"), [
        'Alice Archer',
      ]);
      assert.ok((await names('accountEnabled eq true')).includes('Alice Archer'));
      assert.deepEqual(await names("displayName eq 'x'' or 1 eq 1 --'"), []);
      assert.deepEqual(await names("displayName eq 'Bob Other'"), []);
    });

    it('refuses bad OData with Graph codes', async () => {
      const q = (query: string) => world.get(`/v1.0/users?${query}`, full);
      const unknown = assertGraphError(
        await q('$select=displayName,passwordHash'),
        400,
        'Request_BadRequest',
      );
      assert.match(unknown.message, /'passwordHash'/);
      assertGraphError(
        await q(`$filter=${encodeURIComponent("displayName eq 'x' or 1 eq 1")}`),
        400,
        'Request_UnsupportedQuery',
      );
      assertGraphError(
        await q(`$filter=${encodeURIComponent("displayName eq 'open")}`),
        400,
        'Request_BadRequest',
      );
      assertGraphError(await q('$filter[$ne]=x'), 400, 'BadRequest');
      assertGraphError(await q('$top=1&$top=2'), 400, 'BadRequest');
      assertGraphError(await q('$top=0'), 400, 'Request_BadRequest');
      assertGraphError(await q('$top=100000'), 400, 'Request_BadRequest');
      assertGraphError(await q('$search=%22displayName:a%22'), 400, 'Request_UnsupportedQuery');
      assertGraphError(await q('$count=true'), 400, 'Request_UnsupportedQuery');
      assertGraphError(await q('$orderby=mail'), 400, 'Request_UnsupportedQuery');
      assertGraphError(await q('$expand=manager'), 400, 'Request_UnsupportedQuery');
      assertGraphError(await q('$foo=1'), 400, 'BadRequest');
      assertGraphError(await q('api-version=1'), 400, 'BadRequest');
      assertGraphError(
        await q(`$filter=${encodeURIComponent(`mail eq '${'a'.repeat(2000)}'`)}`),
        400,
        'Request_BadRequest',
      );
      assertGraphError(await q('$skiptoken=forged'), 400, 'Request_BadRequest');
      const groupToken = Buffer.from(JSON.stringify({ r: 'groups', k: 'x' })).toString('base64url');
      assertGraphError(await q(`$skiptoken=${groupToken}`), 400, 'Request_BadRequest');
      const badKey = Buffer.from(JSON.stringify({ r: 'users', k: 'not-a-reader-key' })).toString('base64url');
      assertGraphError(await q(`$skiptoken=${badKey}`), 400, 'BadRequest');
      assertGraphError(await world.get(`/v1.0/users/${'a'.repeat(150)}`, full), 400, 'BadRequest');
    });
  });
}
