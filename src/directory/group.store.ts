/** SQL for groups and their members. */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../platform/db/schema.ts';
import type { Group, User } from './directory.types.ts';
import { afterKeyCondition, pageSize, toPage } from './paging.ts';
import { toGroup, toUser, USER_COLUMNS } from './rows.ts';

type Db = Kysely<DatabaseSchema>;

export async function insertGroup(db: Db, group: Group): Promise<void> {
  await db
    .insertInto('groups')
    .values({
      id: group.id,
      tenant_id: group.tenantId,
      display_name: group.displayName,
      description: group.description,
      mail_nickname: group.mailNickname,
      created_at: group.createdAt,
    })
    .execute();
}

export async function selectGroup(db: Db, tenantId: string, groupId: string): Promise<Group | undefined> {
  const row = await db
    .selectFrom('groups')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', groupId)
    .executeTakeFirst();
  return row === undefined ? undefined : toGroup(row);
}

export async function updateGroupRow(
  db: Db,
  groupId: string,
  changes: { display_name?: string; description?: string | null; mail_nickname?: string },
): Promise<void> {
  await db.updateTable('groups').set(changes).where('id', '=', groupId).execute();
}

export async function deleteGroupRow(db: Db, groupId: string): Promise<void> {
  await db.deleteFrom('group_members').where('group_id', '=', groupId).execute();
  await db.deleteFrom('groups').where('id', '=', groupId).execute();
}

export async function selectGroupPage(
  db: Db,
  tenantId: string,
  options: { readonly top: number; readonly afterKey?: string },
): Promise<{ readonly groups: readonly Group[]; readonly nextKey?: string }> {
  const top = pageSize(options.top);
  let query = db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId);
  if (options.afterKey !== undefined) query = query.where(afterKeyCondition(options.afterKey));
  const rows = await query
    .orderBy('display_name')
    .orderBy('id')
    .limit(top + 1)
    .execute();
  const { items, nextKey } = toPage(rows.map(toGroup), top);
  return nextKey === undefined ? { groups: items } : { groups: items, nextKey };
}

/** Adds a member; false when the user already was one. */
export async function insertMember(db: Db, groupId: string, userId: string, at: number): Promise<boolean> {
  const result = await db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId, added_at: at })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function deleteMember(db: Db, groupId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('group_members')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function selectMembers(db: Db, tenantId: string, groupId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(USER_COLUMNS.map((c) => `users.${c}` as const))
    .where('groups.tenant_id', '=', tenantId)
    .where('group_members.group_id', '=', groupId)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  return rows.map(toUser);
}

/** Ids of the groups a user belongs to. */
export async function selectUserGroupIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.group_id);
}
