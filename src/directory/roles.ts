/** The rule every change to administrators obeys: a tenant always keeps an enabled global administrator. */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import type { DatabaseSchema } from '../platform/db/schema.ts';
import { conflict } from '../platform/errors/app-error.ts';
import { selectEnabledRoleHolders } from './access.store.ts';
import { lockTenant } from './service-support.ts';

/**
 * Throws 409 when `userId` is the tenant's only enabled global administrator (so removing the
 * role, disabling or deleting the user would lock the tenant out). Call inside the transaction
 * that makes the change: the tenant row is locked until it commits.
 */
export async function assertNotLastGlobalAdmin(
  trx: Kysely<DatabaseSchema>,
  engine: Database['engine'],
  tenantId: string,
  userId: string,
): Promise<void> {
  await lockTenant(trx, engine, tenantId);
  const holders = await selectEnabledRoleHolders(trx, tenantId, 'globalAdministrator');
  if (holders.length === 1 && holders[0] === userId)
    throw conflict('The tenant must keep at least one enabled global administrator.');
}
