/**
 * The `$filter` subset Parley answers on users (OData 4.01 URL conventions §5.1.1, as Graph uses
 * them on directory objects): `field eq literal` and `startswith(field,'text')`, joined with `and`.
 * String literals are single-quoted with `''` for a quote (OData ABNF `SQUOTE-in-string`).
 * Anything well-formed but outside the subset (`or`, `not`, `ne`, `in`, other functions or fields)
 * is `Request_UnsupportedQuery`; anything malformed is `Request_BadRequest`. The parser builds
 * values, never SQL: the directory binds them as parameters.
 */
import type { UserFilter, UserFilterField } from '../../directory/directory.types.ts';
import { badQuery, unsupportedQuery } from './graph-error.ts';

export const MAX_FILTER_CLAUSES = 8;
export const MAX_LITERAL_LENGTH = 256;

/** Filterable fields, matched case-insensitively as Graph does, mapped to their canonical names. */
const FIELDS: ReadonlyMap<string, UserFilterField> = new Map(
  (['displayName', 'userPrincipalName', 'mail', 'jobTitle', 'accountEnabled', 'userType'] as const).map(
    (f) => [f.toLowerCase(), f],
  ),
);

type Token =
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: '(' | ')' | ',' };

const invalid = (why: string) => badQuery(`Invalid filter clause: ${why}`);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (c === ' ' || c === '\t') {
      i += 1;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c });
      i += 1;
    } else if (c === "'") {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= input.length) throw invalid('a string literal is not closed.');
        const d = input.charAt(i);
        if (d === "'") {
          if (input.charAt(i + 1) !== "'") break;
          text += "'";
          i += 2;
        } else {
          text += d;
          i += 1;
        }
      }
      i += 1;
      if (text.length > MAX_LITERAL_LENGTH)
        throw invalid(`a string literal is longer than ${MAX_LITERAL_LENGTH} characters.`);
      // eslint-disable-next-line no-control-regex -- control characters never belong in a directory value.
      if (/[\u0000-\u001f\u007f]/.test(text)) throw invalid('a string literal holds a control character.');
      tokens.push({ kind: 'string', text });
    } else if (/[A-Za-z]/.test(c)) {
      const match = /^[A-Za-z][A-Za-z0-9_]*/.exec(input.slice(i));
      const text = match?.[0] ?? c;
      tokens.push({ kind: 'name', text });
      i += text.length;
    } else {
      // Numbers, paths (`a/b`), lambda operators and anything else are outside the subset.
      throw unsupportedQuery(
        `Unsupported character '${c === '"' ? '\\"' : c}' in the filter at position ${i}.`,
      );
    }
  }
  return tokens;
}

class Cursor {
  readonly #tokens: readonly Token[];
  #at = 0;
  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }
  peek(): Token | undefined {
    return this.#tokens[this.#at];
  }
  next(): Token | undefined {
    const token = this.#tokens[this.#at];
    this.#at += 1;
    return token;
  }
  expect(kind: Token['kind'], what: string): void {
    if (this.next()?.kind !== kind) throw invalid(`expected ${what}.`);
  }
}

function field(name: string): UserFilterField {
  const known = FIELDS.get(name.toLowerCase());
  if (known === undefined) throw unsupportedQuery(`Filtering on '${name}' is not supported.`);
  return known;
}

function literal(token: Token | undefined, target: UserFilterField): string | boolean {
  if (token === undefined) throw invalid('a value is missing.');
  if (token.kind === 'string') {
    if (target === 'accountEnabled') throw badQuery('accountEnabled is compared with true or false.');
    return token.text;
  }
  if (token.kind === 'name' && (token.text === 'true' || token.text === 'false')) {
    if (target !== 'accountEnabled') throw badQuery(`${target} is compared with a quoted string.`);
    return token.text === 'true';
  }
  if (token.kind === 'name') throw unsupportedQuery(`Unsupported value '${token.text}' in the filter.`);
  throw invalid('a value is missing.');
}

function clause(cursor: Cursor): UserFilter {
  const head = cursor.next();
  if (head?.kind === '(') throw unsupportedQuery('Parenthesised filter expressions are not supported.');
  if (head?.kind !== 'name') throw invalid('expected a property or startswith(...).');
  if (cursor.peek()?.kind === '(') {
    if (head.text !== 'startswith') throw unsupportedQuery(`The function '${head.text}' is not supported.`);
    cursor.next();
    const property = cursor.next();
    if (property?.kind !== 'name') throw invalid('startswith takes a property first.');
    const target = field(property.text);
    cursor.expect(',', "','");
    const value = cursor.next();
    if (value?.kind !== 'string') throw invalid('startswith takes a quoted string.');
    if (target === 'accountEnabled') throw unsupportedQuery('startswith does not apply to accountEnabled.');
    cursor.expect(')', "')'");
    return { field: target, op: 'startswith', value: value.text };
  }
  if (head.text === 'not') throw unsupportedQuery("The operator 'not' is not supported.");
  const target = field(head.text);
  const op = cursor.next();
  if (op?.kind !== 'name') throw invalid('expected an operator after the property.');
  if (op.text !== 'eq') throw unsupportedQuery(`The operator '${op.text}' is not supported.`);
  return { field: target, op: 'eq', value: literal(cursor.next(), target) };
}

/** Parses a users `$filter` into directory filters (all joined by `and`). */
export function parseUserFilter(input: string): UserFilter[] {
  const tokens = tokenize(input);
  if (tokens.length === 0) throw invalid('the filter is empty.');
  const cursor = new Cursor(tokens);
  const filters: UserFilter[] = [clause(cursor)];
  for (let token = cursor.next(); token !== undefined; token = cursor.next()) {
    if (token.kind !== 'name') throw invalid('expected and between clauses.');
    if (token.text !== 'and') {
      throw token.text === 'or'
        ? unsupportedQuery("The operator 'or' is not supported.")
        : invalid(`unexpected '${token.text}'.`);
    }
    if (filters.length >= MAX_FILTER_CLAUSES)
      throw unsupportedQuery(`A filter may join at most ${MAX_FILTER_CLAUSES} clauses.`);
    filters.push(clause(cursor));
  }
  return filters;
}
