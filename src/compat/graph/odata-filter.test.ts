import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from './graph-error.ts';
import { MAX_FILTER_CLAUSES, MAX_LITERAL_LENGTH, parseUserFilter } from './odata-filter.ts';

function refusal(input: string): string {
  try {
    parseUserFilter(input);
  } catch (error) {
    assert.ok(error instanceof GraphError, `expected a GraphError for ${input}`);
    assert.equal(error.status, 400);
    return error.graphCode;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be refused`);
}

describe('users $filter', () => {
  it('reads eq on each supported field, with property names in any case', () => {
    assert.deepEqual(parseUserFilter("displayName eq 'Ada Lovelace'"), [
      { field: 'displayName', op: 'eq', value: 'Ada Lovelace' },
    ]);
    assert.deepEqual(parseUserFilter("UserPrincipalName eq 'a@b.test'"), [
      { field: 'userPrincipalName', op: 'eq', value: 'a@b.test' },
    ]);
    assert.deepEqual(parseUserFilter('accountEnabled eq false'), [
      { field: 'accountEnabled', op: 'eq', value: false },
    ]);
    assert.deepEqual(parseUserFilter("userType eq 'Guest'"), [
      { field: 'userType', op: 'eq', value: 'Guest' },
    ]);
  });

  it("reads startswith and joins clauses with and; '' is a quote", () => {
    assert.deepEqual(parseUserFilter("startswith(displayName,'O''Brien') and jobTitle eq 'Engineer'"), [
      { field: 'displayName', op: 'startswith', value: "O'Brien" },
      { field: 'jobTitle', op: 'eq', value: 'Engineer' },
    ]);
    assert.deepEqual(parseUserFilter("startswith( mail , 'ada' )"), [
      { field: 'mail', op: 'startswith', value: 'ada' },
    ]);
  });

  it('keeps injection-like text inside a literal as plain data', () => {
    assert.deepEqual(parseUserFilter("displayName eq 'x'' or 1 eq 1 --'"), [
      { field: 'displayName', op: 'eq', value: "x' or 1 eq 1 --" },
    ]);
  });

  it('refuses what is outside the subset as Request_UnsupportedQuery', () => {
    for (const input of [
      "displayName eq 'x' or 1 eq 1",
      "displayName ne 'x'",
      "not startswith(displayName,'a')",
      "(displayName eq 'a')",
      "endswith(mail,'@x.test')",
      "department eq 'Sales'",
      "city eq 'Oslo'",
      'displayName eq null',
      'displayName eq 1',
      "startswith(accountEnabled,'t')",
      "displayName in ('a','b')",
      "manager/id eq 'x'",
      "assignedLicenses/any(x:x/skuId eq 'y')",
    ])
      assert.equal(refusal(input), 'Request_UnsupportedQuery', input);
  });

  it('refuses malformed filters as Request_BadRequest', () => {
    for (const input of [
      '',
      '   ',
      "displayName eq 'unterminated",
      'displayName eq',
      "displayName 'x'",
      "displayName eq 'a' and",
      "displayName eq 'a' displayName eq 'b'",
      "accountEnabled eq 'true'",
      'mail eq true',
      "startswith(displayName 'a')",
      "startswith(displayName,'a'",
      `displayName eq '${'a'.repeat(MAX_LITERAL_LENGTH + 1)}'`,
      "displayName eq 'a\u0000b'",
    ])
      assert.equal(refusal(input), 'Request_BadRequest', JSON.stringify(input));
  });

  it(`joins at most ${MAX_FILTER_CLAUSES} clauses`, () => {
    const clause = "mail eq 'a'";
    assert.equal(
      parseUserFilter(Array(MAX_FILTER_CLAUSES).fill(clause).join(' and ')).length,
      MAX_FILTER_CLAUSES,
    );
    assert.equal(
      refusal(
        Array(MAX_FILTER_CLAUSES + 1)
          .fill(clause)
          .join(' and '),
      ),
      'Request_UnsupportedQuery',
    );
  });
});
