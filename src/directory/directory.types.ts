/**
 * The directory's records as other modules see them. The directory module owns the tables; other
 * modules read through `DirectoryReader` and never query the tables themselves.
 */

export interface SignInPolicy {
  /** Every sign-in needs a second factor (TOTP or a recovery code). */
  readonly requireMfa: boolean;
  /** CIDR ranges sign-in is allowed from; empty means anywhere. */
  readonly allowedNetworks: readonly string[];
}

export interface Tenant {
  readonly id: string;
  readonly displayName: string;
  readonly signInPolicy: SignInPolicy;
  readonly createdAt: number;
}

export interface TenantDomain {
  readonly name: string;
  readonly tenantId: string;
  readonly isVerified: boolean;
  readonly isDefault: boolean;
}

export type UserType = 'Member' | 'Guest';

export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly userPrincipalName: string;
  readonly mail: string | null;
  readonly displayName: string;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly jobTitle: string | null;
  readonly department: string | null;
  readonly officeLocation: string | null;
  readonly businessPhones: readonly string[];
  readonly mobilePhone: string | null;
  readonly timeZone: string | null;
  readonly preferredLanguage: string | null;
  readonly userType: UserType;
  readonly accountEnabled: boolean;
  /** Epoch ms; tokens issued before it are refused. */
  readonly sessionsValidAfter: number;
  readonly createdAt: number;
}

export interface Group {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly mailNickname: string;
  readonly createdAt: number;
}

/** Fields `$filter` may test, with `eq` or `startswith` (Graph's common subset). */
export type UserFilterField =
  'displayName' | 'userPrincipalName' | 'mail' | 'jobTitle' | 'accountEnabled' | 'userType';

export interface UserFilter {
  readonly field: UserFilterField;
  readonly op: 'eq' | 'startswith';
  readonly value: string | boolean;
}

export interface UserPage {
  readonly users: readonly User[];
  /** Opaque key of the next page, absent on the last page. */
  readonly nextKey?: string;
}

/** Directory roles that grant admin rights in a tenant. */
export const ADMIN_ROLES = ['globalAdministrator', 'userAdministrator'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** The read side other modules use. */
export interface DirectoryReader {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  /** Resolves a tenant from its id or any of its verified domains (case-insensitive). */
  resolveTenant(idOrDomain: string): Promise<Tenant | undefined>;
  listDomains(tenantId: string): Promise<readonly TenantDomain[]>;
  /** By object id or user principal name, within one tenant only. */
  getUser(tenantId: string, idOrUpn: string): Promise<User | undefined>;
  /** By user principal name across tenants (sign-in: the UPN's domain picks the tenant). */
  findUserByUpn(upn: string): Promise<User | undefined>;
  listUsers(
    tenantId: string,
    options: { readonly top: number; readonly filters: readonly UserFilter[]; readonly afterKey?: string },
  ): Promise<UserPage>;
  getGroup(tenantId: string, groupId: string): Promise<Group | undefined>;
  listGroups(
    tenantId: string,
    options: { readonly top: number; readonly afterKey?: string },
  ): Promise<{ readonly groups: readonly Group[]; readonly nextKey?: string }>;
  listGroupMembers(tenantId: string, groupId: string): Promise<readonly User[]>;
  adminRoles(tenantId: string, userId: string): Promise<readonly AdminRole[]>;
  /** SKU ids assigned to the user. */
  licences(userId: string): Promise<readonly string[]>;
}

/** Outcome of a password check. `account_disabled` is only reported after a correct password. */
export type PasswordCheck =
  | { readonly ok: true; readonly user: User }
  | {
      readonly ok: false;
      readonly reason: 'invalid_credentials' | 'account_disabled';
      /** Set when the account exists (for auditing and throttling by user id). */
      readonly userId?: string;
    };

/** Password verification for sign-in; the hash never leaves the directory. */
export interface DirectoryCredentials {
  /**
   * Checks `password` for the user with this UPN. Unknown users, users without a password and
   * wrong passwords all cost one scrypt and answer `invalid_credentials` (no user enumeration).
   */
  checkPassword(upn: string, password: string): Promise<PasswordCheck>;
}
