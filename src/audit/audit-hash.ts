/**
 * The hash chain. Each record's hash is SHA-256 over a canonical serialisation of its fields and
 * the previous record's hash, so a change to any field of any record, a removed record or a
 * reordering shows up when the chain is recomputed from the first record.
 *
 * Canonical form: a JSON array with a version tag and the fields in a fixed order. JSON escapes
 * every string unambiguously (RFC 8259 §7), so no two different field tuples serialise to the same
 * text, which a plain separator-joined string would not guarantee. The `details` field is hashed
 * as the stored JSON text itself (keys sorted when it was written), never re-serialised.
 */
import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../platform/db/schema.ts';

/** `prev_hash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** Tag of this serialisation; a future format gets a new tag and keeps verifying old records. */
const FORMAT = 'parley-audit/1';

/** The chained columns of a record, as stored (everything but `id`, `prev_hash` and `hash`). */
export type AuditFields = Omit<AuditLogTable, 'id' | 'prev_hash' | 'hash'>;

/** Hex SHA-256 of `fields` chained to `prevHash`. */
export function recordHash(fields: AuditFields, prevHash: string): string {
  const canonical = JSON.stringify([
    FORMAT,
    fields.occurred_at,
    fields.tenant_id,
    fields.actor_type,
    fields.actor_id,
    fields.source_ip,
    fields.action,
    fields.target_type,
    fields.target_id,
    fields.outcome,
    fields.reason,
    fields.details,
    prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
