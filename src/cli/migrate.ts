/** `parley migrate`: apply pending migrations to the configured database and exit. */
import { createLogger } from '../platform/logging/logger.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrator.ts';
import { configOrReport } from './config-from-env.ts';

export async function runMigrate(): Promise<number> {
  const config = configOrReport();
  if (config === undefined) return 2;
  const logger = createLogger({ level: config.logLevel });
  const database = await openDatabase(config.database, logger);
  try {
    const { applied } = await migrateToLatest(database, logger);
    console.log(
      applied.length === 0
        ? 'Database is up to date.'
        : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
    );
    return 0;
  } catch (err) {
    console.error(`Migration failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}
