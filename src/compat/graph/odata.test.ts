import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from './graph-error.ts';
import { parseUserFilter } from './odata-filter.ts';
import { decodeSkipToken, encodeSkipToken, nextLink, parseODataQuery, type QuerySpec } from './odata.ts';

const USERS: QuerySpec = {
  resource: 'users',
  typeName: 'microsoft.graph.user',
  options: ['$top', '$select', '$filter', '$skiptoken', '$count', '$orderby'],
  properties: ['id', 'displayName', 'mail', 'accountEnabled'],
  defaultTop: 100,
  parseFilter: parseUserFilter,
};
const ENTITY: QuerySpec = { ...USERS, options: ['$select'] };
/** Offers $filter but has no filter grammar. */
const ENTITY_WITH_FILTER_OPTION: QuerySpec = {
  resource: 'users',
  typeName: 'microsoft.graph.user',
  options: ['$filter'],
  properties: ['id'],
};

function refusal(raw: Record<string, string>, spec: QuerySpec = USERS): { code: string; message: string } {
  try {
    parseODataQuery(raw, spec);
  } catch (error) {
    assert.ok(error instanceof GraphError);
    assert.equal(error.status, 400);
    return { code: error.graphCode, message: error.message };
  }
  assert.fail(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('OData query options', () => {
  it('defaults $top and takes 1..999', () => {
    assert.equal(parseODataQuery({}, USERS).top, 100);
    assert.equal(parseODataQuery({ $top: '1' }, USERS).top, 1);
    assert.equal(parseODataQuery({ $top: '999' }, USERS).top, 999);
    for (const $top of ['0', '1000', '-1', '1.5', 'ten', '', ' 5', '0x10'])
      assert.equal(refusal({ $top }).code, 'Request_BadRequest', $top);
  });

  it('canonicalises $select and names an unknown property', () => {
    assert.deepEqual(parseODataQuery({ $select: 'DisplayName, mail,displayName' }, USERS).select, [
      'displayName',
      'mail',
    ]);
    const unknown = refusal({ $select: 'displayName,passwordHash' });
    assert.equal(unknown.code, 'Request_BadRequest');
    assert.equal(
      unknown.message,
      "Could not find a property named 'passwordHash' on type 'microsoft.graph.user'.",
    );
    assert.equal(refusal({ $select: 'id,,mail' }).code, 'Request_BadRequest');
    // A hostile name is not echoed verbatim.
    assert.doesNotMatch(refusal({ $select: '<script>' }).message, /<script>/);
  });

  it('refuses options a resource does not take, unknown options and plain parameters', () => {
    assert.equal(refusal({ $search: '"displayName:ada"' }).code, 'Request_UnsupportedQuery');
    assert.equal(refusal({ $expand: 'manager' }).code, 'Request_UnsupportedQuery');
    assert.equal(refusal({ $top: '5' }, ENTITY).code, 'Request_UnsupportedQuery');
    assert.equal(
      refusal({ $filter: "mail eq 'a'" }, ENTITY_WITH_FILTER_OPTION).code,
      'Request_UnsupportedQuery',
    );
    assert.equal(refusal({ $foo: '1' }).code, 'BadRequest');
    assert.equal(refusal({ top: '5' }).code, 'BadRequest');
    assert.equal(refusal({ constructor: 'x' }).code, 'BadRequest');
    assert.equal(refusal(JSON.parse('{"__proto__":"x"}') as Record<string, string>).code, 'BadRequest');
  });

  it('accepts only the trivial $count and $orderby', () => {
    assert.equal(parseODataQuery({ $count: 'false', $orderby: 'displayName asc' }, USERS).top, 100);
    assert.equal(parseODataQuery({ $count: 'false' }, ENTITY).top, 100);
    assert.equal(refusal({ $count: 'true' }).code, 'Request_UnsupportedQuery');
    assert.equal(refusal({ $count: 'yes' }).code, 'Request_BadRequest');
    assert.equal(refusal({ $orderby: 'displayName desc' }).code, 'Request_UnsupportedQuery');
    assert.equal(refusal({ $orderby: 'mail' }).code, 'Request_UnsupportedQuery');
  });

  it('limits the length of every value', () => {
    assert.equal(refusal({ $filter: `mail eq '${'a'.repeat(1100)}'` }).code, 'Request_BadRequest');
    assert.equal(refusal({ $select: Array(200).fill('displayName').join(',') }).code, 'Request_BadRequest');
    assert.equal(refusal({ $skiptoken: 'A'.repeat(5000) }).code, 'Request_BadRequest');
  });

  it('binds $skiptoken to its entity set and refuses forged ones', () => {
    const token = encodeSkipToken('users', 'reader-key');
    assert.equal(decodeSkipToken(token, 'users'), 'reader-key');
    assert.equal(parseODataQuery({ $skiptoken: token }, USERS).afterKey, 'reader-key');
    for (const forged of [
      encodeSkipToken('groups', 'reader-key'),
      'not base64!',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('{"r":"users","k":""}').toString('base64url'),
      Buffer.from('{"r":"users","k":{"$gt":""}}').toString('base64url'),
      Buffer.from('{"r":"users"').toString('base64url'),
    ])
      assert.equal(refusal({ $skiptoken: forged }).code, 'Request_BadRequest', forged);
  });

  it('builds an absolute next link that keeps the other options', () => {
    const query = parseODataQuery(
      { $top: '10', $filter: "startswith(displayName,'a b')", $select: 'id' },
      USERS,
    );
    const link = new URL(nextLink('https://parley.test:8443', 'users', query, 'k1'));
    assert.equal(link.origin, 'https://parley.test:8443');
    assert.equal(link.pathname, '/v1.0/users');
    assert.equal(link.searchParams.get('$top'), '10');
    assert.equal(link.searchParams.get('$filter'), "startswith(displayName,'a b')");
    assert.equal(link.searchParams.get('$select'), 'id');
    assert.equal(decodeSkipToken(link.searchParams.get('$skiptoken') ?? '', 'users'), 'k1');
  });
});
