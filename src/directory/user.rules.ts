/**
 * Rules for user records: the shape of a user principal name, password rules, and the mapping of
 * editable profile fields to columns.
 */
import type { Updateable } from 'kysely';
import type { UsersTable } from '../platform/db/schema.ts';
import { invalidRequest, type FieldProblem } from '../platform/errors/app-error.ts';
import type { UserType } from './directory.types.ts';

/** Entra's limits: 64 characters before the @, 113 in all. */
export const MAX_UPN_LENGTH = 113;
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Lower-cases and checks a UPN; returns it with its domain part. */
export function parseUpn(upn: string): { upn: string; domain: string } {
  const lower = upn.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const local = lower.slice(0, at);
  const domain = lower.slice(at + 1);
  if (
    at <= 0 ||
    lower.length > MAX_UPN_LENGTH ||
    local.length > 64 ||
    !LOCAL_PART.test(local) ||
    !DOMAIN.test(domain)
  )
    throw invalidRequest('The user principal name is not valid.', [
      { path: '/userPrincipalName', message: 'must be name@domain with a domain of the tenant' },
    ]);
  return { upn: lower, domain };
}

/**
 * NIST SP 800-63B §5.1.1.2: length is what matters (at least 12 here, up to 256 so passphrases
 * fit), no composition rules; refuse the obvious guess of the user's own name.
 */
export function passwordProblems(password: string, upn: string): FieldProblem[] {
  // Counted in code points, as SP 800-63B asks.
  const length = Array.from(password).length;
  const problems: FieldProblem[] = [];
  if (length < MIN_PASSWORD_LENGTH)
    problems.push({ path: '/password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` });
  if (length > MAX_PASSWORD_LENGTH)
    problems.push({ path: '/password', message: `must be at most ${MAX_PASSWORD_LENGTH} characters` });
  const lower = password.trim().toLowerCase();
  const localPart = upn.slice(0, upn.lastIndexOf('@'));
  if (lower === upn || lower === localPart)
    problems.push({ path: '/password', message: 'must not be the user name' });
  return problems;
}

export function assertPasswordAllowed(password: string, upn: string): void {
  const problems = passwordProblems(password, upn);
  if (problems.length > 0) throw invalidRequest('The password does not meet the password rules.', problems);
}

/** Profile fields an admin may set at creation and change later. */
export interface UserProfile {
  readonly displayName?: string;
  readonly mail?: string | null;
  readonly givenName?: string | null;
  readonly surname?: string | null;
  readonly jobTitle?: string | null;
  readonly department?: string | null;
  readonly officeLocation?: string | null;
  readonly businessPhones?: readonly string[];
  readonly mobilePhone?: string | null;
  readonly timeZone?: string | null;
  readonly preferredLanguage?: string | null;
  readonly userType?: UserType;
}

export interface NewUserInput extends UserProfile {
  readonly userPrincipalName: string;
  readonly displayName: string;
  /** The initial password; without one the user cannot sign in with a password. */
  readonly password?: string;
  readonly accountEnabled?: boolean;
}

export interface UserPatch extends UserProfile {
  readonly userPrincipalName?: string;
}

/** Column changes for the profile fields present in `profile`, and their names for events. */
export function profileChanges(profile: UserProfile): { changes: Updateable<UsersTable>; changed: string[] } {
  const changes: Updateable<UsersTable> = {};
  const changed: string[] = [];
  const set = <K extends keyof UserProfile>(
    field: K,
    apply: (value: NonNullable<UserProfile[K]> | null) => void,
  ) => {
    const value = profile[field];
    if (value === undefined) return;
    apply(value);
    changed.push(field);
  };
  set('displayName', (v) => {
    if (v === null || v.trim() === '')
      throw invalidRequest('The display name is empty.', [
        { path: '/displayName', message: 'must not be empty' },
      ]);
    changes.display_name = v;
  });
  set('mail', (v) => (changes.mail = v === null ? null : v.toLowerCase()));
  set('givenName', (v) => (changes.given_name = v));
  set('surname', (v) => (changes.surname = v));
  set('jobTitle', (v) => (changes.job_title = v));
  set('department', (v) => (changes.department = v));
  set('officeLocation', (v) => (changes.office_location = v));
  set('businessPhones', (v) => (changes.business_phones = JSON.stringify(v ?? [])));
  set('mobilePhone', (v) => (changes.mobile_phone = v));
  set('timeZone', (v) => (changes.time_zone = v));
  set('preferredLanguage', (v) => (changes.preferred_language = v));
  set('userType', (v) => (changes.user_type = v ?? 'Member'));
  return { changes, changed };
}
