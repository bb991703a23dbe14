/**
 * Row ↔ record mapping for the directory's tables: flags become booleans, JSON text becomes data,
 * snake_case becomes the camelCase records of `directory.types.ts`.
 */
import type { Selectable } from 'kysely';
import type { GroupsTable, TenantDomainsTable, TenantsTable, UsersTable } from '../platform/db/schema.ts';
import type { Group, SignInPolicy, Tenant, TenantDomain, User } from './directory.types.ts';

/** Parses JSON text written by this module; a corrupt value is a server fault, not client input. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/**
 * Escapes `%`, `_` and `\` for a LIKE pattern used with `escape '\'` (SQLite has no default
 * escape character; PostgreSQL's is the backslash, so the clause means the same on both).
 */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

export function toTenant(row: Selectable<TenantsTable>): Tenant {
  const policy = parseJson<SignInPolicy>(row.sign_in_policy);
  return {
    id: row.id,
    displayName: row.display_name,
    signInPolicy: { requireMfa: policy.requireMfa, allowedNetworks: policy.allowedNetworks },
    createdAt: row.created_at,
  };
}

export function toDomain(row: Selectable<TenantDomainsTable>): TenantDomain {
  return {
    name: row.name,
    tenantId: row.tenant_id,
    isVerified: row.is_verified === 1,
    isDefault: row.is_default === 1,
  };
}

/** A user row without the credential and bookkeeping columns. */
export type UserRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userPrincipalName: row.user_principal_name,
    mail: row.mail,
    displayName: row.display_name,
    givenName: row.given_name,
    surname: row.surname,
    jobTitle: row.job_title,
    department: row.department,
    officeLocation: row.office_location,
    businessPhones: parseJson<string[]>(row.business_phones),
    mobilePhone: row.mobile_phone,
    timeZone: row.time_zone,
    preferredLanguage: row.preferred_language,
    userType: row.user_type,
    accountEnabled: row.account_enabled === 1,
    sessionsValidAfter: row.sessions_valid_after,
    createdAt: row.created_at,
  };
}

export function toGroup(row: Selectable<GroupsTable>): Group {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    displayName: row.display_name,
    description: row.description,
    mailNickname: row.mail_nickname,
    createdAt: row.created_at,
  };
}

/** The user columns records are built from (never the password hash). */
export const USER_COLUMNS = [
  'id',
  'tenant_id',
  'user_principal_name',
  'mail',
  'display_name',
  'given_name',
  'surname',
  'job_title',
  'department',
  'office_location',
  'business_phones',
  'mobile_phone',
  'time_zone',
  'preferred_language',
  'user_type',
  'account_enabled',
  'sessions_valid_after',
  'created_at',
] as const;
