/** SQL for users. Reads never return the password hash except through `selectPasswordHash`. */
import { sql, type ExpressionBuilder, type Kysely, type Updateable } from 'kysely';
import type { DatabaseSchema, UsersTable } from '../platform/db/schema.ts';
import { invalidRequest } from '../platform/errors/app-error.ts';
import type { User, UserFilter, UserFilterField, UserPage } from './directory.types.ts';
import { afterKeyCondition, pageSize, toPage } from './paging.ts';
import { escapeLike, toUser, USER_COLUMNS } from './rows.ts';

type Db = Kysely<DatabaseSchema>;

export type NewUserRow = Omit<UsersTable, never>;

export async function insertUser(db: Db, row: NewUserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function selectUserById(db: Db, userId: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

/** By id or UPN, confined to one tenant. */
export async function selectUserInTenant(
  db: Db,
  tenantId: string,
  idOrUpn: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      idOrUpn.includes('@')
        ? eb('user_principal_name', '=', idOrUpn.toLowerCase())
        : eb('id', '=', idOrUpn.toLowerCase()),
    )
    .executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

export async function selectUserByUpn(db: Db, upn: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('user_principal_name', '=', upn.toLowerCase())
    .executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

export async function selectPasswordHash(db: Db, userId: string): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.password_hash;
}

export async function updateUserRow(db: Db, userId: string, changes: Updateable<UsersTable>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', userId).execute();
}

const FILTER_COLUMNS: Readonly<Record<UserFilterField, keyof UsersTable>> = {
  displayName: 'display_name',
  userPrincipalName: 'user_principal_name',
  mail: 'mail',
  jobTitle: 'job_title',
  accountEnabled: 'account_enabled',
  userType: 'user_type',
};

function filterExpression(eb: ExpressionBuilder<DatabaseSchema, 'users'>, filter: UserFilter) {
  const column = FILTER_COLUMNS[filter.field];
  const problem = (message: string) =>
    invalidRequest(message, [{ path: `/filter/${filter.field}`, message }]);
  if (filter.field === 'accountEnabled') {
    if (filter.op !== 'eq' || typeof filter.value !== 'boolean')
      throw problem('accountEnabled can only be compared with eq to true or false.');
    return eb('account_enabled', '=', filter.value ? 1 : 0);
  }
  if (typeof filter.value !== 'string') throw problem(`${filter.field} takes a string.`);
  // Graph compares directory strings case-insensitively; lower() on both sides does so on both engines.
  const value = filter.value.toLowerCase();
  return filter.op === 'eq'
    ? eb(sql`lower(${sql.ref(column)})`, '=', value)
    : eb(sql`lower(${sql.ref(column)})`, 'like', sql<string>`${escapeLike(value) + '%'} escape '\\'`);
}

export async function selectUserPage(
  db: Db,
  tenantId: string,
  options: { readonly top: number; readonly filters: readonly UserFilter[]; readonly afterKey?: string },
): Promise<UserPage> {
  const top = pageSize(options.top);
  let query = db.selectFrom('users').select(USER_COLUMNS).where('tenant_id', '=', tenantId);
  for (const filter of options.filters) query = query.where((eb) => filterExpression(eb, filter));
  if (options.afterKey !== undefined) query = query.where(afterKeyCondition(options.afterKey));
  const rows = await query
    .orderBy('display_name')
    .orderBy('id')
    .limit(top + 1)
    .execute();
  const { items, nextKey } = toPage(rows.map(toUser), top);
  return nextKey === undefined ? { users: items } : { users: items, nextKey };
}
