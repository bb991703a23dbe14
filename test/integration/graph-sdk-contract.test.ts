/**
 * Contract test with Microsoft's own Graph client (`@microsoft/microsoft-graph-client` v3),
 * configured as an app pointed at Parley would be (Graph compatibility notes, G2): `baseUrl` on
 * Parley's origin and the host in `customHosts`, without which the client sends no token. It reads
 * `/me`, pages `/users` with its PageIterator over absolute next links, and parses a refusal into
 * its GraphError.
 *
 * The client calls Node's global fetch. The process is made to trust exactly the test server's CA
 * (`tls.setDefaultCACertificates`, Node ≥ 22.19) for the duration of the suite; verification stays on.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { Client, GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { startGraphWorld, type GraphWorld } from '../fixtures/graph-world.ts';

describe('Microsoft Graph client v3 against Parley', () => {
  let world: GraphWorld;
  let client: Client;
  const defaultCAs = tls.getCACertificates('default');
  before(async () => {
    world = await startGraphWorld({ people: 12 });
    tls.setDefaultCACertificates([world.server.caPem]);
    const credential = world.userCredential(world.alice, ['User.Read', 'User.ReadBasic.All']);
    client = Client.initWithMiddleware({
      baseUrl: `${world.server.origin}/`,
      customHosts: new Set([new URL(world.server.origin).hostname]),
      authProvider: { getAccessToken: () => Promise.resolve(credential) },
    });
  });
  after(async () => {
    tls.setDefaultCACertificates(defaultCAs);
    await world.close();
  });

  it('reads /me', async () => {
    const me = (await client.api('/me').get()) as Record<string, unknown>;
    assert.equal(me.id, world.alice.id);
    assert.equal(me.displayName, 'Alice Archer');
    assert.equal(me['@odata.context'], `${world.server.origin}/v1.0/$metadata#users/$entity`);
    const selected = (await client.api('/me').select(['displayName', 'mail']).get()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(selected).sort(), ['@odata.context', 'displayName', 'mail']);
  });

  it('pages /users to the end with PageIterator', async () => {
    const first = (await client
      .api('/users')
      .filter("startswith(displayName,'Person ')")
      .select(['id', 'displayName'])
      .top(5)
      .get()) as PageCollection;
    assert.equal(first.value.length, 5);
    assert.ok(String(first['@odata.nextLink']).startsWith(`${world.server.origin}/v1.0/users?`));
    const ids: string[] = [];
    const iterator = new PageIterator(client, first, (user: { id: string }) => {
      ids.push(user.id);
      return true;
    });
    await iterator.iterate();
    assert.ok(iterator.isComplete());
    assert.equal(ids.length, 12);
    assert.deepEqual(new Set(ids), new Set(world.people.map((p) => p.id)));
  });

  it('parses a refusal into GraphError with code, status and request id', async () => {
    const error = await client
      .api(`/users/${world.alice.id}`)
      .select(['displayName', 'noSuchProperty'])
      .get()
      .then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof GraphError, String(error));
    assert.equal(error.statusCode, 400);
    assert.equal(error.code, 'Request_BadRequest');
    assert.match(error.message, /noSuchProperty/);
    assert.match(error.requestId ?? '', /^[A-Za-z0-9._-]{8,64}$/);
    assert.ok(error.date instanceof Date && !Number.isNaN(error.date.getTime()));
    // The client sends its own client-request-id; Parley echoes it.
    assert.match(error.headers?.get('client-request-id') ?? '', /^[0-9a-f-]{36}$/);

    const missing = await client
      .api('/users/00000000-0000-4000-8000-000000000001')
      .get()
      .then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
    assert.ok(missing instanceof GraphError);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'Request_ResourceNotFound');
  });

  it('is refused with InvalidAuthenticationToken when the host is not allow-listed', async () => {
    // Without customHosts the client drops the token (G2): Parley's 401 is still a GraphError.
    const unlisted = Client.initWithMiddleware({
      baseUrl: `${world.server.origin}/`,
      authProvider: { getAccessToken: () => Promise.resolve('unused') },
    });
    const error = await unlisted
      .api('/me')
      .get()
      .then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof GraphError);
    assert.equal(error.statusCode, 401);
    assert.equal(error.code, 'InvalidAuthenticationToken');
  });
});
