/** SQL for licences (tenant seats, user assignments) and directory role assignments. */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../platform/db/schema.ts';

type Db = Kysely<DatabaseSchema>;

export async function selectUserSkus(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_licences')
    .select('sku_id')
    .where('user_id', '=', userId)
    .orderBy('sku_id')
    .execute();
  return rows.map((r) => r.sku_id);
}

export async function selectSeats(db: Db, tenantId: string): Promise<{ skuId: string; seats: number }[]> {
  const rows = await db
    .selectFrom('tenant_licences')
    .select(['sku_id', 'seats'])
    .where('tenant_id', '=', tenantId)
    .execute();
  return rows.map((r) => ({ skuId: r.sku_id, seats: r.seats }));
}

export async function upsertSeats(db: Db, tenantId: string, skuId: string, seats: number): Promise<void> {
  await db
    .insertInto('tenant_licences')
    .values({ tenant_id: tenantId, sku_id: skuId, seats })
    .onConflict((oc) => oc.columns(['tenant_id', 'sku_id']).doUpdateSet({ seats }))
    .execute();
}

/** Seats of a SKU used in a tenant (users of the tenant holding it). */
export async function countAssigned(db: Db, tenantId: string, skuId: string): Promise<number> {
  const row = await db
    .selectFrom('user_licences')
    .innerJoin('users', 'users.id', 'user_licences.user_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('users.tenant_id', '=', tenantId)
    .where('user_licences.sku_id', '=', skuId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUserSku(db: Db, userId: string, skuId: string, at: number): Promise<boolean> {
  const result = await db
    .insertInto('user_licences')
    .values({ user_id: userId, sku_id: skuId, assigned_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'sku_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function deleteUserSku(db: Db, userId: string, skuId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('user_licences')
    .where('user_id', '=', userId)
    .where('sku_id', '=', skuId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function selectRoles(db: Db, tenantId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select('role')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role);
}

export async function insertRole(
  db: Db,
  tenantId: string,
  userId: string,
  role: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .insertInto('role_assignments')
    .values({ tenant_id: tenantId, user_id: userId, role, assigned_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function deleteRole(db: Db, tenantId: string, userId: string, role: string): Promise<boolean> {
  const result = await db
    .deleteFrom('role_assignments')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Enabled holders of a role in a tenant (the last-global-admin rule counts these). */
export async function selectEnabledRoleHolders(db: Db, tenantId: string, role: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .innerJoin('users', 'users.id', 'role_assignments.user_id')
    .select('role_assignments.user_id')
    .where('role_assignments.tenant_id', '=', tenantId)
    .where('role_assignments.role', '=', role)
    .where('users.account_enabled', '=', 1)
    .execute();
  return rows.map((r) => r.user_id);
}
