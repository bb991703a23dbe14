/**
 * Walks the whole audit chain from the first record and recomputes every hash. A record is bad
 * when its stored hash does not match its fields (`hash_mismatch`: a field was edited) or when its
 * `prev_hash` is not the hash of the record before it (`chain_broken`: a record was removed,
 * inserted or reordered; for the first record, `prev_hash` must be the genesis value).
 *
 * Records are read in pages in id order, so memory stays flat however long the log is. Appends
 * that land during the walk extend the chain and are verified too.
 *
 * What the chain alone cannot show: removal of the newest records (the remaining chain is still
 * consistent). The head hash in the result is what an operator keeps elsewhere to detect that.
 */
import type { Database } from '../platform/db/database.ts';
import { GENESIS_HASH, recordHash } from './audit-hash.ts';
import { createAuditStore, type AuditStore } from './audit.store.ts';

export type AuditChainVerdict =
  | {
      readonly ok: true;
      /** Records verified. */
      readonly records: number;
      /** Hash of the last record (the genesis value when the log is empty). */
      readonly headHash: string;
    }
  | {
      readonly ok: false;
      /** Records verified intact before the first bad one. */
      readonly records: number;
      /** Sequence number (id) of the first bad record. */
      readonly firstBadSeq: number;
      readonly reason: 'hash_mismatch' | 'chain_broken';
    };

const PAGE_SIZE = 500;

/** Verifies the audit chain of `database` end to end. */
export async function verifyAuditChain(
  database: Database,
  options: { readonly pageSize?: number; readonly store?: AuditStore } = {},
): Promise<AuditChainVerdict> {
  const store = options.store ?? createAuditStore(database);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  let expectedPrev = GENESIS_HASH;
  let afterSeq = 0;
  let records = 0;
  for (;;) {
    const page = await store.chainPage(afterSeq, pageSize);
    for (const row of page) {
      if (row.prev_hash !== expectedPrev) {
        return { ok: false, records, firstBadSeq: row.id, reason: 'chain_broken' };
      }
      if (recordHash(row, row.prev_hash) !== row.hash) {
        return { ok: false, records, firstBadSeq: row.id, reason: 'hash_mismatch' };
      }
      expectedPrev = row.hash;
      afterSeq = row.id;
      records += 1;
    }
    if (page.length < pageSize) return { ok: true, records, headHash: expectedPrev };
  }
}
