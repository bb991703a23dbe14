/**
 * The `AuditLog` other modules record through. Each entry is sanitised (audit-sanitise.ts), given
 * its UTC time, and appended to the hash chain (audit.store.ts).
 *
 * Failure policy: a malformed entry never fails the caller's request; it is recorded as well as
 * it can be (or as an `audit.entry_malformed` placeholder). A database failure does reject, so the
 * caller decides whether the action may proceed unaudited.
 */
import type { Database } from '../platform/db/database.ts';
import type { Logger } from '../platform/logging/logger.ts';
import type { AuditEntry, AuditLog } from './audit.types.ts';
import type { AuditFields } from './audit-hash.ts';
import { malformedEntryFields, sanitiseEntry } from './audit-sanitise.ts';
import { createAuditStore, type AuditStore } from './audit.store.ts';

export interface AuditLogOptions {
  readonly database: Database;
  readonly logger: Logger;
  /** Share a store (and with it the append queue) built elsewhere; one is created otherwise. */
  readonly store?: AuditStore;
  /** Clock (epoch ms), for tests. */
  readonly now?: () => number;
}

/** Creates the audit log over `database`. */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const store = options.store ?? createAuditStore(options.database);
  const now = options.now ?? Date.now;
  const logger = options.logger;
  return {
    async record(entry) {
      const fields = fieldsOf(entry, now(), logger);
      await store.append(fields);
    },
  };
}

function fieldsOf(entry: AuditEntry, occurredAt: number, logger: Logger): AuditFields {
  try {
    return sanitiseEntry(entry, occurredAt);
  } catch (error) {
    // The error's message might quote the entry; its name is enough to find the caller.
    logger.warn({ errorName: error instanceof Error ? error.name : typeof error }, 'malformed audit entry');
    return malformedEntryFields(occurredAt);
  }
}
