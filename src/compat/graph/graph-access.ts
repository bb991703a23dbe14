/**
 * Who may read what through the Graph surface, from the token's delegated scopes (`scp`) or
 * application roles (`roles`), with the permission names Graph documents for each API
 * (api-reference/v1.0/api/user-get.md, user-list.md, group-get.md, organization-get.md).
 *
 * A user principal without any scopes is a first-party session (not an OAuth token), and reads
 * with the user's own rights, as Parley's other routes treat it.
 *
 * Audiences decide which user properties a caller sees (`user.presenter.ts`):
 *  - `self`:  the caller reading their own object (any User.Read-level scope);
 *  - `full`:  a member with User.Read.All / Directory.Read.All, or an app with those roles;
 *  - `basic`: a member with only User.ReadBasic.All (Graph's "basic profile"), and members listed
 *             through GroupMember.Read.All / Group.Read.All without a user permission;
 *  - `guest`: a guest user, whatever the token says (Entra's default guest restrictions: guests
 *             look people up one at a time, never enumerate, and see a minimal card);
 *  - `bot`:   a bot, which needs to address people, not profile them.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/http/access.ts';
import { unauthenticated } from '../../platform/errors/app-error.ts';
import { GraphError, requestDenied } from './graph-error.ts';

export type UserAudience = 'self' | 'full' | 'basic' | 'guest' | 'bot';

const WRITE_ALL = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
/** Delegated scopes that read the signed-in user (user-get.md: least privileged User.Read). */
const SELF_SCOPES = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'Directory.Read.All',
];
const FULL_USER_SCOPES = ['User.Read.All', 'Directory.Read.All', ...WRITE_ALL];
const BASIC_USER_SCOPES = ['User.ReadBasic.All', ...FULL_USER_SCOPES];
const USER_ROLES = ['User.Read.All', 'Directory.Read.All', ...WRITE_ALL];
const GROUP_PERMISSIONS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const ORGANIZATION_ROLES = [
  'Organization.Read.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** The authenticated caller of a Graph route and the only tenant it may read. */
export interface GraphCaller {
  readonly principal: Principal;
  readonly tenantId: string;
}

/** The caller, or a refusal: partners and principals without a tenant never read a directory. */
export function graphCaller(request: FastifyRequest): GraphCaller {
  const principal = request.principal;
  if (principal === undefined) throw unauthenticated();
  if (principal.kind === 'partner' || principal.tenantId === undefined) throw requestDenied();
  return { principal, tenantId: principal.tenantId };
}

function anyOf(granted: readonly string[] | undefined, wanted: readonly string[]): boolean {
  return granted?.some((g) => wanted.includes(g)) === true;
}

/** Delegated check: a first-party session (no scopes) holds the user's own rights. */
function delegated(principal: Principal, wanted: readonly string[]): boolean {
  return principal.scopes === undefined || anyOf(principal.scopes, wanted);
}

const isGuest = (principal: Principal) => principal.userType === 'Guest';

/** Whether the caller is a signed-in user whose token reads their own object. */
export function canReadSelf(caller: GraphCaller): boolean {
  return caller.principal.kind === 'user' && delegated(caller.principal, [...SELF_SCOPES, ...WRITE_ALL]);
}

/** `GET /me`: only a signed-in user, with a User.Read-level scope. */
export function requireSelfRead(caller: GraphCaller): void {
  if (caller.principal.kind !== 'user') throw appOnlyMe();
  if (!canReadSelf(caller)) throw requestDenied();
}

/** Graph's answer to `/me` with an app-only token. */
const appOnlyMe = () =>
  new GraphError('BadRequest', 400, '/me request is only valid with delegated authentication flow.');

/** The audience the caller reads other users as, or undefined when it may not read them. */
export function otherUsersAudience(caller: GraphCaller): Exclude<UserAudience, 'self'> | undefined {
  const { principal } = caller;
  if (principal.kind === 'app') return anyOf(principal.roles, USER_ROLES) ? 'full' : undefined;
  if (principal.kind === 'bot') return anyOf(principal.roles, USER_ROLES) ? 'bot' : undefined;
  if (principal.kind !== 'user' || !delegated(principal, BASIC_USER_SCOPES)) return undefined;
  if (isGuest(principal)) return 'guest';
  return delegated(principal, FULL_USER_SCOPES) ? 'full' : 'basic';
}

/** `GET /users`: enumerating the directory; guests may not (Entra's default guest restriction). */
export function userListAudience(caller: GraphCaller): Exclude<UserAudience, 'self' | 'guest'> {
  const audience = otherUsersAudience(caller);
  if (audience === undefined || audience === 'guest') throw requestDenied();
  return audience;
}

/** Groups and their members; guests may not enumerate them. Returns how members are shown. */
export function groupReadAudience(caller: GraphCaller): Exclude<UserAudience, 'self' | 'guest'> {
  const { principal } = caller;
  const allowed =
    principal.kind === 'user'
      ? !isGuest(principal) && delegated(principal, GROUP_PERMISSIONS)
      : anyOf(principal.roles, GROUP_PERMISSIONS);
  if (!allowed) throw requestDenied();
  if (principal.kind === 'bot') return 'bot';
  const audience = otherUsersAudience(caller);
  return audience === 'full' ? 'full' : 'basic';
}

/** `GET /organization`: any signed-in user of the tenant; apps and bots need an organization role. */
export function requireOrganizationRead(caller: GraphCaller): void {
  const { principal } = caller;
  const allowed =
    principal.kind === 'user'
      ? delegated(principal, [...SELF_SCOPES, ...WRITE_ALL, ...GROUP_PERMISSIONS])
      : anyOf(principal.roles, ORGANIZATION_ROLES);
  if (!allowed) throw requestDenied();
}
