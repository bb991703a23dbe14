/** SQL for policies and their per-user assignments. */
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, PoliciesTable } from '../platform/db/schema.ts';
import type { PolicyKind } from './policies.schema.ts';
import { parseJson } from './rows.ts';

type Db = Kysely<DatabaseSchema>;

export interface PolicyRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: PolicyKind;
  readonly name: string;
  readonly isDefault: boolean;
  readonly settings: unknown;
  readonly updatedAt: number;
}

function toPolicy(row: Selectable<PoliciesTable>): PolicyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind as PolicyKind,
    name: row.name,
    isDefault: row.is_default === 1,
    settings: parseJson<unknown>(row.settings),
    updatedAt: row.updated_at,
  };
}

export async function insertPolicy(db: Db, policy: PolicyRecord): Promise<void> {
  await db
    .insertInto('policies')
    .values({
      id: policy.id,
      tenant_id: policy.tenantId,
      kind: policy.kind,
      name: policy.name,
      is_default: policy.isDefault ? 1 : 0,
      settings: JSON.stringify(policy.settings),
      updated_at: policy.updatedAt,
    })
    .execute();
}

export async function selectPolicies(db: Db, tenantId: string, kind?: PolicyKind): Promise<PolicyRecord[]> {
  let query = db.selectFrom('policies').selectAll().where('tenant_id', '=', tenantId);
  if (kind !== undefined) query = query.where('kind', '=', kind);
  const rows = await query.orderBy('kind').orderBy('is_default', 'desc').orderBy('name').execute();
  return rows.map(toPolicy);
}

export async function selectPolicy(
  db: Db,
  tenantId: string,
  policyId: string,
): Promise<PolicyRecord | undefined> {
  const row = await db
    .selectFrom('policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', policyId)
    .executeTakeFirst();
  return row === undefined ? undefined : toPolicy(row);
}

export async function selectDefaultPolicy(
  db: Db,
  tenantId: string,
  kind: PolicyKind,
): Promise<PolicyRecord | undefined> {
  const row = await db
    .selectFrom('policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('is_default', '=', 1)
    .executeTakeFirst();
  return row === undefined ? undefined : toPolicy(row);
}

export async function selectAssignedPolicy(
  db: Db,
  userId: string,
  kind: PolicyKind,
): Promise<PolicyRecord | undefined> {
  const row = await db
    .selectFrom('policy_assignments')
    .innerJoin('policies', 'policies.id', 'policy_assignments.policy_id')
    .selectAll('policies')
    .where('policy_assignments.user_id', '=', userId)
    .where('policy_assignments.kind', '=', kind)
    .executeTakeFirst();
  return row === undefined ? undefined : toPolicy(row);
}

export async function updatePolicySettings(
  db: Db,
  policyId: string,
  settings: unknown,
  at: number,
): Promise<void> {
  await db
    .updateTable('policies')
    .set({ settings: JSON.stringify(settings), updated_at: at })
    .where('id', '=', policyId)
    .execute();
}

export async function upsertAssignment(
  db: Db,
  userId: string,
  kind: PolicyKind,
  policyId: string,
  at: number,
): Promise<void> {
  await db
    .insertInto('policy_assignments')
    .values({ user_id: userId, kind, policy_id: policyId, assigned_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ policy_id: policyId, assigned_at: at }))
    .execute();
}

export async function deleteAssignment(db: Db, userId: string, kind: PolicyKind): Promise<boolean> {
  const result = await db
    .deleteFrom('policy_assignments')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
