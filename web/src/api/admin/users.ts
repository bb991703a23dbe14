/**
 * Admin API for users (`/api/v1/admin/users`, src/directory/admin/users.routes.ts): list, read,
 * create, change, disable and enable, sign out everywhere, set a password, and assign licences
 * and admin roles. Shapes mirror the server's TypeBox schemas.
 */
import { authorizedRequest } from '../../auth/session.ts';
import { ApiError, isRecord } from '../http.ts';

export const ADMIN_PREFIX = '/api/v1/admin';

/** The directory's admin roles (ADMIN_ROLES on the server). */
export const ADMIN_ROLES = ['globalAdministrator', 'userAdministrator'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ROLE_LABELS: Readonly<Record<AdminRole, string>> = {
  globalAdministrator: 'Global administrator',
  userAdministrator: 'User administrator',
};

/** A user as the admin API presents it (never a credential). */
export interface AdminUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly mail: string | null;
  readonly jobTitle: string | null;
  readonly department: string | null;
  readonly userType: string;
  readonly accountEnabled: boolean;
  readonly createdAt: string;
}

/** A user with their admin roles and licences (SKU ids). */
export interface AdminUserDetail {
  readonly user: AdminUser;
  readonly roles: readonly string[];
  readonly licences: readonly string[];
}

/** One page of users; `nextKey` continues the list. */
export interface AdminUserPage {
  readonly users: readonly AdminUser[];
  readonly nextKey: string | undefined;
}

/** Fields an admin sets when creating a user. */
export interface NewUser {
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly password: string;
  readonly jobTitle?: string | null;
  readonly department?: string | null;
  readonly accountEnabled?: boolean;
}

export function unexpectedResponse(): ApiError {
  return new ApiError('bad_response', 200, 'The server sent an unexpected response.');
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function strings(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parseAdminUser(body: unknown): AdminUser {
  if (
    !isRecord(body) ||
    typeof body.id !== 'string' ||
    typeof body.userPrincipalName !== 'string' ||
    typeof body.displayName !== 'string' ||
    typeof body.accountEnabled !== 'boolean'
  )
    throw unexpectedResponse();
  return {
    id: body.id,
    userPrincipalName: body.userPrincipalName,
    displayName: body.displayName,
    mail: text(body.mail),
    jobTitle: text(body.jobTitle),
    department: text(body.department),
    userType: typeof body.userType === 'string' ? body.userType : 'Member',
    accountEnabled: body.accountEnabled,
    createdAt: typeof body.createdAt === 'string' ? body.createdAt : '',
  };
}

function parseDetail(body: unknown): AdminUserDetail {
  if (!isRecord(body)) throw unexpectedResponse();
  return { user: parseAdminUser(body.user), roles: strings(body.roles), licences: strings(body.licences) };
}

const users = `${ADMIN_PREFIX}/users`;
const one = (id: string) => `${users}/${encodeURIComponent(id)}`;

/** A page of users, optionally those whose display name starts with `search`. */
export async function listUsers(
  options: { search?: string; after?: string; top?: number },
  signal?: AbortSignal,
): Promise<AdminUserPage> {
  const query = new URLSearchParams();
  query.set('top', String(options.top ?? 50));
  if (options.search !== undefined && options.search !== '') query.set('search', options.search);
  if (options.after !== undefined) query.set('after', options.after);
  const body = await authorizedRequest(`${users}?${query.toString()}`, { signal });
  if (!isRecord(body) || !Array.isArray(body.users)) throw unexpectedResponse();
  return {
    users: body.users.map(parseAdminUser),
    nextKey: typeof body.nextKey === 'string' ? body.nextKey : undefined,
  };
}

export async function getUser(id: string, signal?: AbortSignal): Promise<AdminUserDetail> {
  return parseDetail(await authorizedRequest(one(id), { signal }));
}

export async function createUser(input: NewUser): Promise<AdminUserDetail> {
  return parseDetail(await authorizedRequest(users, { body: input }));
}

export async function updateUser(
  id: string,
  patch: { displayName?: string; jobTitle?: string | null; department?: string | null },
): Promise<AdminUserDetail> {
  return parseDetail(await authorizedRequest(one(id), { method: 'PATCH', body: patch }));
}

/** `disable`, `enable` or `revoke-sessions` (sign out everywhere). */
export async function userAction(
  id: string,
  action: 'disable' | 'enable' | 'revoke-sessions',
): Promise<AdminUserDetail> {
  return parseDetail(await authorizedRequest(`${one(id)}/${action}`, { method: 'POST' }));
}

/** Sets a new password; the user's sessions end. */
export async function setPassword(id: string, password: string): Promise<void> {
  await authorizedRequest(`${one(id)}/password`, { body: { password } });
}

export async function setLicence(id: string, skuId: string, assigned: boolean): Promise<readonly string[]> {
  const body = await authorizedRequest(`${one(id)}/licences/${encodeURIComponent(skuId)}`, {
    method: assigned ? 'PUT' : 'DELETE',
  });
  if (!isRecord(body)) throw unexpectedResponse();
  return strings(body.licences);
}

export async function setRole(id: string, role: AdminRole, assigned: boolean): Promise<void> {
  await authorizedRequest(`${one(id)}/roles/${role}`, { method: assigned ? 'PUT' : 'DELETE' });
}

/** A password that meets the rules (at least 12 characters), for an admin to hand over once. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  let out = '';
  // 228 = 4 × 57 (the alphabet's size): bytes above it are dropped so every character is equally likely.
  for (const byte of bytes) if (byte < 228) out += alphabet[byte % alphabet.length] ?? '';
  return out.length >= 14 ? out : generatePassword();
}
