/** SQL for tenants and their domains. Callers pass `database.db` or an open transaction. */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../platform/db/schema.ts';
import type { SignInPolicy, Tenant, TenantDomain } from './directory.types.ts';
import { flag, toDomain, toTenant } from './rows.ts';

type Db = Kysely<DatabaseSchema>;

export async function insertTenant(
  db: Db,
  tenant: { id: string; displayName: string; signInPolicy: SignInPolicy; createdAt: number },
): Promise<void> {
  await db
    .insertInto('tenants')
    .values({
      id: tenant.id,
      display_name: tenant.displayName,
      sign_in_policy: JSON.stringify(tenant.signInPolicy),
      created_at: tenant.createdAt,
    })
    .execute();
}

export async function selectTenant(db: Db, tenantId: string): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
  return row === undefined ? undefined : toTenant(row);
}

/** The oldest tenant: the one created at first start, which owns the first-party apps. */
export async function selectFirstTenant(db: Db): Promise<Tenant | undefined> {
  const row = await db
    .selectFrom('tenants')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toTenant(row);
}

export async function updateTenantSignInPolicy(
  db: Db,
  tenantId: string,
  policy: SignInPolicy,
): Promise<void> {
  await db
    .updateTable('tenants')
    .set({ sign_in_policy: JSON.stringify(policy) })
    .where('id', '=', tenantId)
    .execute();
}

export async function insertDomain(
  db: Db,
  domain: TenantDomain & { verificationCode: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('tenant_domains')
    .values({
      name: domain.name,
      tenant_id: domain.tenantId,
      is_verified: flag(domain.isVerified),
      is_default: flag(domain.isDefault),
      verification_code: domain.verificationCode,
      created_at: domain.createdAt,
    })
    .execute();
}

export async function selectDomain(
  db: Db,
  name: string,
): Promise<(TenantDomain & { verificationCode: string }) | undefined> {
  const row = await db.selectFrom('tenant_domains').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? undefined : { ...toDomain(row), verificationCode: row.verification_code };
}

export async function selectDomains(
  db: Db,
  tenantId: string,
): Promise<(TenantDomain & { verificationCode: string })[]> {
  const rows = await db
    .selectFrom('tenant_domains')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('is_default', 'desc')
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ ...toDomain(row), verificationCode: row.verification_code }));
}

export async function markDomainVerified(db: Db, tenantId: string, name: string): Promise<boolean> {
  const result = await db
    .updateTable('tenant_domains')
    .set({ is_verified: 1 })
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
