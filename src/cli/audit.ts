/**
 * `parley audit verify`: recomputes the audit log's hash chain from the first record.
 * Exit codes: 0 intact, 1 a record was changed, removed or reordered, 2 the log could not be
 * checked (configuration, database unreachable, migrations not applied).
 */
import { createLogger } from '../platform/logging/logger.ts';
import { openDatabase } from '../platform/db/database.ts';
import { pendingMigrations } from '../platform/db/migrator.ts';
import { m0003Audit } from '../platform/db/migrations/0003_audit.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { configOrReport } from './config-from-env.ts';

const REASONS = {
  hash_mismatch: 'its fields do not match its hash (the record was edited)',
  chain_broken: 'it does not follow the record before it (records were removed, inserted or reordered)',
} as const;

export async function runAuditVerify(): Promise<number> {
  const config = configOrReport();
  if (config === undefined) return 2;
  // stdout carries the verdict only; log lines go to stderr.
  const logger = createLogger({ level: config.logLevel, destination: process.stderr });
  let database;
  try {
    database = await openDatabase(config.database, logger);
  } catch (err) {
    console.error(`Cannot verify the audit log: ${(err as Error).message}`);
    return 2;
  }
  try {
    if ((await pendingMigrations(database)).includes(m0003Audit.name)) {
      console.error('The audit log does not exist yet: run parley migrate.');
      return 2;
    }
    const verdict = await verifyAuditChain(database);
    if (verdict.ok) {
      console.log(`audit log intact: ${verdict.records} records (head ${verdict.headHash})`);
      return 0;
    }
    console.log(
      `audit log TAMPERED: record ${verdict.firstBadSeq} fails: ${REASONS[verdict.reason]}; ` +
        `${verdict.records} records before it are intact`,
    );
    return 1;
  } catch (err) {
    console.error(`Cannot verify the audit log: ${(err as Error).message}`);
    return 2;
  } finally {
    await database.close();
  }
}
