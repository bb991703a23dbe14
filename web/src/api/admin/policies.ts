/**
 * Admin API for policies (`/api/v1/admin/policies`): each kind has a default policy and may have
 * named ones; settings are a flat object whose shape depends on the kind (the server checks it).
 */
import { authorizedRequest } from '../../auth/session.ts';
import { isRecord } from '../http.ts';
import { ADMIN_PREFIX, unexpectedResponse } from './users.ts';

export const POLICY_KINDS = [
  'meeting',
  'messaging',
  'presencePrivacy',
  'federation',
  'appPermission',
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export const POLICY_KIND_LABELS: Readonly<Record<PolicyKind, string>> = {
  meeting: 'Meetings',
  messaging: 'Messaging',
  presencePrivacy: 'Presence privacy',
  federation: 'Federation',
  appPermission: 'App permissions',
};

/** A setting's value: what policy schemas use. */
export type SettingValue = boolean | number | string | readonly string[];

export interface AdminPolicy {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly isDefault: boolean;
  /** As the server sent them; fields that are not a {@link SettingValue} are kept but not edited. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly updatedAt: string;
}

/** Whether the admin centre can edit this value with a plain control. */
export function isSettingValue(value: unknown): value is SettingValue {
  return (
    typeof value === 'boolean' ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((v) => typeof v === 'string'))
  );
}

function parsePolicy(body: unknown): AdminPolicy {
  if (
    !isRecord(body) ||
    typeof body.id !== 'string' ||
    typeof body.kind !== 'string' ||
    typeof body.name !== 'string' ||
    !isRecord(body.settings)
  )
    throw unexpectedResponse();
  return {
    id: body.id,
    kind: body.kind,
    name: body.name,
    isDefault: body.isDefault === true,
    settings: body.settings,
    updatedAt: typeof body.updatedAt === 'string' ? body.updatedAt : '',
  };
}

const policies = `${ADMIN_PREFIX}/policies`;

export async function listPolicies(signal?: AbortSignal): Promise<readonly AdminPolicy[]> {
  const body = await authorizedRequest(policies, { signal });
  if (!isRecord(body) || !Array.isArray(body.policies)) throw unexpectedResponse();
  return body.policies.map(parsePolicy);
}

export async function updatePolicy(
  id: string,
  settings: Readonly<Record<string, unknown>>,
): Promise<AdminPolicy> {
  return parsePolicy(
    await authorizedRequest(`${policies}/${encodeURIComponent(id)}`, { method: 'PUT', body: { settings } }),
  );
}

export async function createPolicy(
  kind: string,
  name: string,
  settings: Readonly<Record<string, unknown>>,
): Promise<AdminPolicy> {
  return parsePolicy(await authorizedRequest(policies, { body: { kind, name, settings } }));
}
