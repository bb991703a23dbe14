/**
 * Every migration, in order. A static list (not a directory scan) so that bundling, type checks
 * and code review see exactly what runs. Append only: never edit, reorder or remove a released
 * migration.
 */
import type { ParleyMigration } from './types.ts';
import { m0001Platform } from './0001_platform.ts';
import { m0002Directory } from './0002_directory.ts';
import { m0003Audit } from './0003_audit.ts';

export type { ParleyMigration } from './types.ts';

export const migrations: readonly ParleyMigration[] = [m0001Platform, m0002Directory, m0003Audit];
