/**
 * OData system query options as Graph takes them (OData 4.01 URL conventions §5): `$top`,
 * `$select`, `$filter`, `$skiptoken`, and the trivial forms of `$count` and `$orderby`. Strict:
 * an option a resource does not take, an unknown option or a plain parameter is a 400, so a typo
 * never silently returns more than was asked for. Every value has a length limit.
 */
import type { UserFilter } from '../../directory/directory.types.ts';
import { badQuery, graphBadRequest, unsupportedQuery } from './graph-error.ts';

export type ODataOption = '$top' | '$select' | '$filter' | '$skiptoken' | '$count' | '$orderby';

/** Every option Graph defines that Parley recognises, with the longest value taken. */
const MAX_LENGTH: ReadonlyMap<string, number> = new Map([
  ['$top', 4],
  ['$select', 512],
  ['$filter', 1024],
  ['$skiptoken', 4096],
  ['$count', 5],
  ['$orderby', 64],
  ['$search', 256],
  ['$expand', 256],
  ['$format', 32],
  ['$skip', 16],
]);

export const MAX_TOP = 999;
const MAX_SELECT_ITEMS = 32;
const MAX_KEY_LENGTH = 2048;

/** What one resource accepts. */
export interface QuerySpec {
  /** The entity set for `$skiptoken` binding, e.g. 'users'. */
  readonly resource: string;
  /** Graph's type name for messages, e.g. 'microsoft.graph.user'. */
  readonly typeName: string;
  readonly options: readonly ODataOption[];
  /** Properties `$select` may name (canonical casing). */
  readonly properties: readonly string[];
  readonly defaultTop?: number;
  readonly parseFilter?: (text: string) => UserFilter[];
}

export interface ODataQuery {
  /** The entity set `$skiptoken`s of this query are bound to. */
  readonly resource: string;
  readonly top: number;
  /** Canonical property names, or undefined for the default set. */
  readonly select: readonly string[] | undefined;
  readonly filters: readonly UserFilter[];
  /** The reader's paging key recovered from `$skiptoken`. */
  readonly afterKey: string | undefined;
  /** The options as received (without `$skiptoken`), to carry into the next link. */
  readonly carried: readonly (readonly [string, string])[];
}

/** Validates and interprets the query options of one request. */
export function parseODataQuery(raw: Readonly<Record<string, string>>, spec: QuerySpec): ODataQuery {
  const carried: [string, string][] = [];
  for (const [name, value] of Object.entries(raw)) {
    const limit = MAX_LENGTH.get(name);
    if (limit === undefined) throw graphBadRequest(`Query option '${printable(name)}' is not supported.`);
    if (!(spec.options as readonly string[]).includes(name) && !trivial(name, value))
      throw unsupportedQuery(`Query option '${name}' is not supported on this resource.`);
    if (value.length > limit) throw badQuery(`The value of '${name}' is longer than ${limit} characters.`);
    if (name !== '$skiptoken') carried.push([name, value]);
  }
  const top = raw.$top === undefined ? (spec.defaultTop ?? 100) : parseTop(raw.$top);
  const select = raw.$select === undefined ? undefined : parseSelect(raw.$select, spec);
  let filters: UserFilter[] = [];
  if (raw.$filter !== undefined) {
    if (spec.parseFilter === undefined) throw unsupportedQuery('$filter is not supported on this resource.');
    filters = spec.parseFilter(raw.$filter);
  }
  if (raw.$count !== undefined) parseCount(raw.$count);
  if (raw.$orderby !== undefined) parseOrderBy(raw.$orderby);
  const afterKey = raw.$skiptoken === undefined ? undefined : decodeSkipToken(raw.$skiptoken, spec.resource);
  return { resource: spec.resource, top, select, filters, afterKey, carried };
}

/** `$count=false` changes nothing and is accepted even where `$count` is not offered. */
function trivial(name: string, value: string): boolean {
  return name === '$count' && value === 'false';
}

function parseTop(value: string): number {
  const top = /^[0-9]{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(top >= 1 && top <= MAX_TOP))
    throw badQuery(`Invalid page size specified. Must be between 1 and ${MAX_TOP} inclusive.`);
  return top;
}

function parseSelect(value: string, spec: QuerySpec): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.length > MAX_SELECT_ITEMS)
    throw badQuery(`$select may name at most ${MAX_SELECT_ITEMS} properties.`);
  const byLowerCase = new Map(spec.properties.map((p) => [p.toLowerCase(), p]));
  const selected: string[] = [];
  for (const item of items) {
    if (item === '') throw badQuery('$select has an empty item.');
    // Graph matches property names case-insensitively.
    const property = byLowerCase.get(item.toLowerCase());
    if (property === undefined)
      throw badQuery(`Could not find a property named '${printable(item)}' on type '${spec.typeName}'.`);
    if (!selected.includes(property)) selected.push(property);
  }
  return selected;
}

function parseCount(value: string): void {
  if (value === 'false') return;
  if (value === 'true') throw unsupportedQuery('$count is not supported on this resource.');
  throw badQuery('$count is true or false.');
}

/** Results already come in displayName order, so only that order is accepted. */
function parseOrderBy(value: string): void {
  if (/^displayName( +asc)?$/i.test(value.trim())) return;
  throw unsupportedQuery('Sorting is only supported by displayName, ascending.');
}

interface SkipToken {
  readonly r: string;
  readonly k: string;
}

/** `$skiptoken`: the reader's key, bound to the entity set it came from, base64url JSON. */
export function encodeSkipToken(resource: string, key: string): string {
  const token: SkipToken = { r: resource, k: key };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

export function decodeSkipToken(token: string, resource: string): string {
  const invalid = () => badQuery('The $skiptoken is not valid.');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof value !== 'object' || value === null) throw invalid();
  const { r, k } = value as Partial<Record<keyof SkipToken, unknown>>;
  if (r !== resource || typeof k !== 'string' || k === '' || k.length > MAX_KEY_LENGTH) throw invalid();
  return k;
}

/** An absolute next link on `origin`: the same options, a new `$skiptoken`. */
export function nextLink(origin: string, path: string, query: ODataQuery, key: string): string {
  const parts = query.carried.map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  parts.push(`$skiptoken=${encodeSkipToken(query.resource, key)}`);
  return `${origin}/v1.0/${path}?${parts.join('&')}`;
}

/** The paging part of a directory read. */
export function pageRequest(query: ODataQuery): { readonly top: number; readonly afterKey?: string } {
  return query.afterKey === undefined ? { top: query.top } : { top: query.top, afterKey: query.afterKey };
}

/** `@odata.context` segment for a `$select`: `users(displayName,mail)`, as Graph writes it. */
function selectSuffix(select: readonly string[] | undefined): string {
  return select === undefined ? '' : `(${select.join(',')})`;
}

/** `@odata.context` of a single entity of `entitySet`: `…/$metadata#users/$entity`. */
export function entityContext(origin: string, entitySet: string, query: ODataQuery): string {
  return `${origin}/v1.0/$metadata#${entitySet}${selectSuffix(query.select)}/$entity`;
}

/**
 * A collection answer: `@odata.context` naming `entitySet` (and the `$select`), the items, and an
 * absolute `@odata.nextLink` to `path` when the directory has another page.
 */
export function collection<T>(
  origin: string,
  entitySet: string,
  path: string,
  query: ODataQuery,
  value: T[],
  nextKey: string | undefined,
): { '@odata.context': string; '@odata.nextLink'?: string; value: T[] } {
  return {
    '@odata.context': `${origin}/v1.0/$metadata#${entitySet}${selectSuffix(query.select)}`,
    ...(nextKey === undefined ? {} : { '@odata.nextLink': nextLink(origin, path, query, nextKey) }),
    value,
  };
}

/** A client-supplied name fit to quote in a message. */
function printable(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_.@$/-]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}
