/**
 * Users as Graph shows them, narrowed to what each audience may see (`graph-access.ts`). The
 * default property set is Graph's (user resource docs: "returned by default"); `$select` can add
 * the few further properties Parley keeps. A property outside the caller's audience is left out
 * of the object, whether it was asked for or not: the caller learns nothing about its value.
 */
import type { User } from '../../directory/directory.types.ts';
import type { UserAudience } from './graph-access.ts';
import { graphDate } from './graph-reply.ts';
import type { GraphUser } from './graph.schema.ts';

export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
] as const;

export const USER_PROPERTIES = [
  ...DEFAULT_USER_PROPERTIES,
  'accountEnabled',
  'userType',
  'department',
  'createdDateTime',
] as const;

export type UserProperty = (typeof USER_PROPERTIES)[number];

/** Graph's basic profile (permissions reference, User.ReadBasic.All), minus photo and securityIdentifier. */
const BASIC: readonly UserProperty[] = [
  'displayName',
  'givenName',
  'id',
  'mail',
  'surname',
  'userPrincipalName',
];

const VISIBLE: Readonly<Record<UserAudience, ReadonlySet<UserProperty>>> = {
  self: new Set(USER_PROPERTIES),
  full: new Set(USER_PROPERTIES),
  basic: new Set(BASIC),
  guest: new Set<UserProperty>(['id', 'displayName', 'mail']),
  bot: new Set<UserProperty>(['id', 'displayName']),
};

/** Whether `audience` may see (and so filter on) `property`. */
export function canSee(audience: UserAudience, property: UserProperty): boolean {
  return VISIBLE[audience].has(property);
}

function allProperties(user: User): Required<GraphUser> {
  return {
    businessPhones: [...user.businessPhones],
    displayName: user.displayName,
    givenName: user.givenName,
    id: user.id,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: user.mobilePhone,
    officeLocation: user.officeLocation,
    preferredLanguage: user.preferredLanguage,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    department: user.department,
    createdDateTime: graphDate(new Date(user.createdAt)),
  };
}

/** The user as `audience` sees it, with the `$select`ed properties or Graph's default set. */
export function presentUser(user: User, audience: UserAudience, select?: readonly UserProperty[]): GraphUser {
  const all = allProperties(user);
  const shown: GraphUser = {};
  for (const property of select ?? DEFAULT_USER_PROPERTIES)
    if (canSee(audience, property)) Object.assign(shown, { [property]: all[property] });
  return shown;
}
