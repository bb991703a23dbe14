/**
 * Response and request schemas of the Graph surface. Response schemas list every property a
 * caller could ever be shown (`additionalProperties: false`), so nothing outside that list can be
 * serialised even if a presenter were wrong; presenters then narrow per caller. Shapes follow
 * the v1.0 CSDL (`microsoft.graph.user`, `group`, `organization`, `verifiedDomain`).
 */
import Type, { type Static } from 'typebox';

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** Query options arrive as single strings; `odata.ts` interprets them. Duplicates are refused. */
export const ODataQuerystring = Type.Record(
  Type.String({ maxLength: 32 }),
  Type.String({ maxLength: 4096 }),
  {
    maxProperties: 12,
  },
);

/** A user id (UUID) or user principal name; Graph's limit on a UPN is 113 characters. */
export const UserIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 113 }) },
  { additionalProperties: false },
);

export const GroupIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const userFields = {
  businessPhones: Type.Optional(Type.Array(Type.String())),
  displayName: Type.Optional(NullableString),
  givenName: Type.Optional(NullableString),
  id: Type.Optional(Type.String()),
  jobTitle: Type.Optional(NullableString),
  mail: Type.Optional(NullableString),
  mobilePhone: Type.Optional(NullableString),
  officeLocation: Type.Optional(NullableString),
  preferredLanguage: Type.Optional(NullableString),
  surname: Type.Optional(NullableString),
  userPrincipalName: Type.Optional(NullableString),
  accountEnabled: Type.Optional(Type.Boolean()),
  userType: Type.Optional(NullableString),
  department: Type.Optional(NullableString),
  createdDateTime: Type.Optional(NullableString),
};

const context = { '@odata.context': Type.String() };

/** Every user property any caller may be shown. */
export const GraphUserObject = Type.Object(userFields, { additionalProperties: false });
export type GraphUser = Static<typeof GraphUserObject>;

export const UserEntity = Type.Object({ ...context, ...userFields }, { additionalProperties: false });

export const UserCollection = Type.Object(
  {
    ...context,
    '@odata.nextLink': Type.Optional(Type.String()),
    value: Type.Array(GraphUserObject),
  },
  { additionalProperties: false },
);

/** Members are `directoryObject`s; each names its type as Graph does for derived types. */
export const DirectoryObjectCollection = Type.Object(
  {
    ...context,
    '@odata.nextLink': Type.Optional(Type.String()),
    value: Type.Array(
      Type.Object(
        { '@odata.type': Type.Literal('#microsoft.graph.user'), ...userFields },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const groupFields = {
  id: Type.Optional(Type.String()),
  displayName: Type.Optional(NullableString),
  description: Type.Optional(NullableString),
  mailNickname: Type.Optional(NullableString),
  mail: Type.Optional(NullableString),
  mailEnabled: Type.Optional(Type.Boolean()),
  securityEnabled: Type.Optional(Type.Boolean()),
  groupTypes: Type.Optional(Type.Array(Type.String())),
  createdDateTime: Type.Optional(NullableString),
};

export const GroupEntity = Type.Object({ ...context, ...groupFields }, { additionalProperties: false });

export const GroupCollection = Type.Object(
  {
    ...context,
    '@odata.nextLink': Type.Optional(Type.String()),
    value: Type.Array(Type.Object(groupFields, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const VerifiedDomain = Type.Object(
  {
    name: Type.String(),
    isDefault: Type.Boolean(),
    isInitial: Type.Boolean(),
    type: Type.String(),
    capabilities: Type.String(),
  },
  { additionalProperties: false },
);

const organizationFields = {
  id: Type.Optional(Type.String()),
  displayName: Type.Optional(NullableString),
  verifiedDomains: Type.Optional(Type.Array(VerifiedDomain)),
  tenantType: Type.Optional(NullableString),
  createdDateTime: Type.Optional(NullableString),
};

export const OrganizationCollection = Type.Object(
  { ...context, value: Type.Array(Type.Object(organizationFields, { additionalProperties: false })) },
  { additionalProperties: false },
);
