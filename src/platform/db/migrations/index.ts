/**
 * Every migration, in order. A static list (not a directory scan) so that bundling, type checks
 * and code review see exactly what runs. Append only: never edit, reorder or remove a released
 * migration.
 */
import type { ParleyMigration } from './types.ts';
import { m0001Platform } from './0001_platform.ts';

export type { ParleyMigration } from './types.ts';

export const migrations: readonly ParleyMigration[] = [m0001Platform];
