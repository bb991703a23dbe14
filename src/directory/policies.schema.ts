/**
 * Tenant policies: one TypeBox schema per kind, checked on every write, and the settings a new
 * tenant starts with. A tenant has a default policy of every kind and may assign named ones to
 * users; `effectivePolicy` reads the assigned one, else the default.
 */
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { invalidRequest } from '../platform/errors/app-error.ts';

export const POLICY_KINDS = [
  'meeting',
  'messaging',
  'presencePrivacy',
  'federation',
  'appPermission',
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

const Domain = Type.String({
  maxLength: 253,
  pattern: '^(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$',
});
const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });

/** Seed 002 "Addressing Threats to Teams Conferences": lobby, presenters, anonymous joiners. */
export const MeetingPolicy = Type.Object(
  {
    allowMeetingScheduling: Type.Boolean(),
    /** Who skips the lobby by default. */
    defaultLobbyBypassScope: Type.Union([
      Type.Literal('organizer'),
      Type.Literal('invited'),
      Type.Literal('organization'),
      Type.Literal('organizationAndFederated'),
      Type.Literal('everyone'),
    ]),
    allowAnonymousJoin: Type.Boolean(),
    /** Dial-in (PSTN) callers skip the lobby. */
    allowPstnBypassLobby: Type.Boolean(),
    allowedPresentersDefault: Type.Union([
      Type.Literal('organizer'),
      Type.Literal('roleIsPresenter'),
      Type.Literal('organization'),
      Type.Literal('everyone'),
    ]),
  },
  { additionalProperties: false },
);

export const MessagingPolicy = Type.Object(
  {
    allowEditing: Type.Boolean(),
    allowDeleting: Type.Boolean(),
    allowGiphy: Type.Boolean(),
    allowUrlPreviews: Type.Boolean(),
    /** Characters; Teams allows about 28,000. */
    maxMessageLength: Type.Integer({ minimum: 1, maximum: 28_000 }),
  },
  { additionalProperties: false },
);

/**
 * Seed 001, PII: `allow` lets each user choose privacy mode, `force` turns it on for everyone
 * (enhanced presence only to contacts), `forbid` turns it off.
 */
export const PresencePrivacyPolicy = Type.Object(
  { mode: Type.Union([Type.Literal('allow'), Type.Literal('force'), Type.Literal('forbid')]) },
  { additionalProperties: false },
);

/** Which partner organisations may talk to this tenant; blocked wins over allowed. */
export const FederationPolicy = Type.Object(
  {
    allowFederation: Type.Boolean(),
    /** Empty means every partner not blocked. */
    allowedDomains: Type.Array(Domain, { maxItems: 1000, uniqueItems: true }),
    blockedDomains: Type.Array(Domain, { maxItems: 1000, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const AppPermissionPolicy = Type.Object(
  {
    mode: Type.Union([Type.Literal('allowAll'), Type.Literal('allowListed'), Type.Literal('blockListed')]),
    appIds: Type.Array(Uuid, { maxItems: 1000, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const POLICY_SCHEMAS = {
  meeting: MeetingPolicy,
  messaging: MessagingPolicy,
  presencePrivacy: PresencePrivacyPolicy,
  federation: FederationPolicy,
  appPermission: AppPermissionPolicy,
} as const satisfies Record<PolicyKind, TSchema>;

export interface PolicySettings {
  meeting: Static<typeof MeetingPolicy>;
  messaging: Static<typeof MessagingPolicy>;
  presencePrivacy: Static<typeof PresencePrivacyPolicy>;
  federation: Static<typeof FederationPolicy>;
  appPermission: Static<typeof AppPermissionPolicy>;
}

/** What a new tenant starts with: conservative where the seeds ask for it. */
export const DEFAULT_POLICY_SETTINGS: { readonly [K in PolicyKind]: PolicySettings[K] } = {
  meeting: {
    allowMeetingScheduling: true,
    defaultLobbyBypassScope: 'organization',
    // Anonymous people with a link wait in the lobby; an admin may switch joining off entirely.
    allowAnonymousJoin: true,
    allowPstnBypassLobby: false,
    allowedPresentersDefault: 'everyone',
  },
  messaging: {
    allowEditing: true,
    allowDeleting: true,
    allowGiphy: false,
    allowUrlPreviews: true,
    maxMessageLength: 28_000,
  },
  presencePrivacy: { mode: 'allow' },
  federation: { allowFederation: false, allowedDomains: [], blockedDomains: [] },
  appPermission: { mode: 'allowAll', appIds: [] },
};

export function isPolicyKind(value: string): value is PolicyKind {
  return (POLICY_KINDS as readonly string[]).includes(value);
}

/** Checks settings against their kind's schema; throws 400 listing the first problems. */
export function validatePolicySettings<K extends PolicyKind>(kind: K, settings: unknown): PolicySettings[K] {
  const schema = POLICY_SCHEMAS[kind];
  if (Value.Check(schema, settings)) return settings as PolicySettings[K];
  const details = [...Value.Errors(schema, settings)]
    .slice(0, 5)
    .map((e) => ({ path: `/settings${e.instancePath}`, message: e.message }));
  throw invalidRequest(`The ${kind} policy settings are not valid.`, details);
}
