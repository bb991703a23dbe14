/**
 * Keyset paging over `(display_name, id)`: the next page starts after the last row of this one, so
 * pages stay stable while rows are added and cost the same at any depth (no OFFSET). The key is
 * opaque to clients (base64url JSON); a key that does not decode is a client error.
 */
import { sql, type RawBuilder } from 'kysely';
import { badRequest } from '../platform/errors/app-error.ts';

export interface PageKey {
  readonly name: string;
  readonly id: string;
}

export const MAX_PAGE_SIZE = 999;
const MAX_KEY_LENGTH = 2048;

export function encodePageKey(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.name, key.id]), 'utf8').toString('base64url');
}

export function decodePageKey(text: string): PageKey {
  const invalid = () => badRequest('The paging key is not valid.');
  if (text.length > MAX_KEY_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid();
  const [name, id] = value as unknown[];
  if (typeof name !== 'string' || typeof id !== 'string') throw invalid();
  return { name, id };
}

/** Clamps a requested page size to 1..MAX_PAGE_SIZE. */
export function pageSize(top: number): number {
  if (!Number.isFinite(top)) return 100;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(top)));
}

/** `WHERE` condition for rows after `afterKey` in `(display_name, id)` order. */
export function afterKeyCondition(afterKey: string): RawBuilder<boolean> {
  const key = decodePageKey(afterKey);
  return sql<boolean>`(display_name > ${key.name} or (display_name = ${key.name} and id > ${key.id}))`;
}

/** Cuts the `top + 1` rows a query fetched into a page and the key of the next one. */
export function toPage<T extends { readonly displayName: string; readonly id: string }>(
  items: readonly T[],
  top: number,
): { readonly items: readonly T[]; readonly nextKey?: string } {
  const page = items.slice(0, top);
  const last = page.at(-1);
  return items.length > top && last !== undefined
    ? { items: page, nextKey: encodePageKey({ name: last.displayName, id: last.id }) }
    : { items: page };
}
