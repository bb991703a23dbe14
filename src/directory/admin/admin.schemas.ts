/**
 * Schemas shared by the admin API: identifiers, the user presenter and common replies. Every
 * object is closed (`additionalProperties: false`) and every string bounded, so operator objects
 * such as `{"$ne": null}` and oversize values are refused before any handler runs.
 */
import Type, { type Static } from 'typebox';
import { ADMIN_ROLES, type User } from '../directory.types.ts';
import { POLICY_KINDS } from '../policies.schema.ts';

export const ADMIN_PREFIX = '/api/v1/admin';

/** Lower- or upper-case UUID; handlers lower-case it. */
export const Id = Type.String({
  minLength: 36,
  maxLength: 36,
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});

export const closed = { additionalProperties: false } as const;

export const UserIdParams = Type.Object({ userId: Id }, closed);
export type UserIdParams = Static<typeof UserIdParams>;

export const RoleName = Type.Union(ADMIN_ROLES.map((r) => Type.Literal(r)));
export const PolicyKindName = Type.Union(POLICY_KINDS.map((k) => Type.Literal(k)));

export const Paging = Type.Object(
  {
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  closed,
);

/**
 * Null first: Fastify's Ajv coerces types, and a string branch tried first would turn `null`
 * into `""` instead of clearing the field.
 */
const NullableText = (maxLength: number) => Type.Union([Type.Null(), Type.String({ maxLength })]);

/** Profile fields, as Graph names them. */
export const ProfileFields = {
  displayName: Type.String({ minLength: 1, maxLength: 256 }),
  mail: NullableText(320),
  givenName: NullableText(64),
  surname: NullableText(64),
  jobTitle: NullableText(128),
  department: NullableText(64),
  officeLocation: NullableText(128),
  businessPhones: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 5 }),
  mobilePhone: NullableText(64),
  timeZone: NullableText(64),
  preferredLanguage: NullableText(16),
  userType: Type.Union([Type.Literal('Member'), Type.Literal('Guest')]),
};

export const Password = Type.String({ minLength: 1, maxLength: 256 });

export const AdminUser = Type.Object(
  {
    id: Type.String(),
    userPrincipalName: Type.String(),
    displayName: Type.String(),
    mail: Type.Union([Type.String(), Type.Null()]),
    givenName: Type.Union([Type.String(), Type.Null()]),
    surname: Type.Union([Type.String(), Type.Null()]),
    jobTitle: Type.Union([Type.String(), Type.Null()]),
    department: Type.Union([Type.String(), Type.Null()]),
    officeLocation: Type.Union([Type.String(), Type.Null()]),
    businessPhones: Type.Array(Type.String()),
    mobilePhone: Type.Union([Type.String(), Type.Null()]),
    timeZone: Type.Union([Type.String(), Type.Null()]),
    preferredLanguage: Type.Union([Type.String(), Type.Null()]),
    userType: Type.String(),
    accountEnabled: Type.Boolean(),
    sessionsValidAfter: Type.String(),
    createdAt: Type.String(),
  },
  closed,
);
export type AdminUser = Static<typeof AdminUser>;

/** Whitelists what the admin API shows of a user (never a credential). */
export function presentUser(user: User): AdminUser {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    mail: user.mail,
    givenName: user.givenName,
    surname: user.surname,
    jobTitle: user.jobTitle,
    department: user.department,
    officeLocation: user.officeLocation,
    businessPhones: [...user.businessPhones],
    mobilePhone: user.mobilePhone,
    timeZone: user.timeZone,
    preferredLanguage: user.preferredLanguage,
    userType: user.userType,
    accountEnabled: user.accountEnabled,
    sessionsValidAfter: new Date(user.sessionsValidAfter).toISOString(),
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The list of strings a response carries (licences, roles). */
export const StringList = Type.Array(Type.String());
