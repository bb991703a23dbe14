/**
 * Admin API for app registrations (`/api/v1/admin/apps`, src/directory/admin/apps.routes.ts):
 * registrations, client secrets (the value is in the creation reply only), certificates and
 * admin consent. `{appId}` in paths is the OAuth client id.
 */
import { authorizedRequest } from '../../auth/session.ts';
import { isRecord } from '../http.ts';
import { ADMIN_PREFIX, unexpectedResponse } from './users.ts';

export type SignInAudience = 'AzureADMyOrg' | 'AzureADMultipleOrgs';

export interface AdminApp {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly signInAudience: SignInAudience;
  readonly isPublicClient: boolean;
  readonly redirectUris: readonly string[];
  readonly identifierUris: readonly string[];
  readonly isFirstParty: boolean;
  readonly createdAt: string;
}

export interface AppSecret {
  readonly id: string;
  readonly displayName: string;
  readonly hint: string;
  readonly expiresAt: string;
  readonly createdAt: string;
}

export interface AppCertificate {
  readonly id: string;
  readonly displayName: string;
  readonly thumbprintSha256: string;
  readonly expiresAt: string;
}

export interface AppConsent {
  readonly resource: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly consentedAt: string;
}

/** Parley's Graph-shaped API, the resource most apps ask for. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strs = (value: unknown): readonly string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function parseApp(body: unknown): AdminApp {
  if (!isRecord(body) || typeof body.appId !== 'string' || typeof body.displayName !== 'string')
    throw unexpectedResponse();
  return {
    id: str(body.id),
    appId: body.appId,
    displayName: body.displayName,
    signInAudience: body.signInAudience === 'AzureADMultipleOrgs' ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
    isPublicClient: body.isPublicClient === true,
    redirectUris: strs(body.redirectUris),
    identifierUris: strs(body.identifierUris),
    isFirstParty: body.isFirstParty === true,
    createdAt: str(body.createdAt),
  };
}

function parseSecret(body: unknown): AppSecret {
  if (!isRecord(body) || typeof body.id !== 'string') throw unexpectedResponse();
  return {
    id: body.id,
    displayName: str(body.displayName),
    hint: str(body.hint),
    expiresAt: str(body.expiresAt),
    createdAt: str(body.createdAt),
  };
}

function parseCertificate(body: unknown): AppCertificate {
  if (!isRecord(body) || typeof body.id !== 'string') throw unexpectedResponse();
  return {
    id: body.id,
    displayName: str(body.displayName),
    thumbprintSha256: str(body.thumbprintSha256),
    expiresAt: str(body.expiresAt),
  };
}

function list<T>(body: unknown, key: string, parse: (item: unknown) => T): readonly T[] {
  const items = isRecord(body) ? body[key] : undefined;
  if (!Array.isArray(items)) throw unexpectedResponse();
  return items.map(parse);
}

const apps = `${ADMIN_PREFIX}/apps`;
const one = (appId: string) => `${apps}/${encodeURIComponent(appId)}`;

export async function listApps(signal?: AbortSignal): Promise<readonly AdminApp[]> {
  return list(await authorizedRequest(apps, { signal }), 'apps', parseApp);
}

export async function getApp(appId: string, signal?: AbortSignal): Promise<AdminApp> {
  return parseApp(await authorizedRequest(one(appId), { signal }));
}

export async function createApp(input: {
  displayName: string;
  signInAudience: SignInAudience;
  isPublicClient: boolean;
  redirectUris: readonly string[];
}): Promise<AdminApp> {
  return parseApp(await authorizedRequest(apps, { body: input }));
}

export async function updateApp(
  appId: string,
  patch: { displayName?: string; redirectUris?: readonly string[]; signInAudience?: SignInAudience },
): Promise<AdminApp> {
  return parseApp(await authorizedRequest(one(appId), { method: 'PATCH', body: patch }));
}

export async function listSecrets(appId: string, signal?: AbortSignal): Promise<readonly AppSecret[]> {
  return list(await authorizedRequest(`${one(appId)}/secrets`, { signal }), 'secrets', parseSecret);
}

/** Creates a secret; the value is returned here only. */
export async function addSecret(
  appId: string,
  displayName: string,
  lifetimeDays: number,
): Promise<AppSecret & { readonly secret: string }> {
  const body = await authorizedRequest(`${one(appId)}/secrets`, { body: { displayName, lifetimeDays } });
  if (!isRecord(body) || typeof body.secret !== 'string') throw unexpectedResponse();
  return { ...parseSecret(body), secret: body.secret };
}

export async function removeSecret(appId: string, secretId: string): Promise<void> {
  await authorizedRequest(`${one(appId)}/secrets/${encodeURIComponent(secretId)}`, { method: 'DELETE' });
}

export async function listCertificates(
  appId: string,
  signal?: AbortSignal,
): Promise<readonly AppCertificate[]> {
  return list(
    await authorizedRequest(`${one(appId)}/certificates`, { signal }),
    'certificates',
    parseCertificate,
  );
}

export async function addCertificate(
  appId: string,
  pem: string,
  displayName?: string,
): Promise<AppCertificate> {
  return parseCertificate(
    await authorizedRequest(`${one(appId)}/certificates`, {
      body: { pem, ...(displayName === undefined || displayName === '' ? {} : { displayName }) },
    }),
  );
}

export async function removeCertificate(appId: string, certificateId: string): Promise<void> {
  await authorizedRequest(`${one(appId)}/certificates/${encodeURIComponent(certificateId)}`, {
    method: 'DELETE',
  });
}

/** Grants admin consent for the whole organisation. */
export async function grantConsent(
  appId: string,
  grant: { resource: string; scopes: readonly string[]; roles: readonly string[] },
): Promise<AppConsent> {
  const body = await authorizedRequest(`${one(appId)}/consents`, { body: grant });
  if (!isRecord(body)) throw unexpectedResponse();
  return {
    resource: str(body.resource),
    scopes: strs(body.scopes),
    roles: strs(body.roles),
    consentedAt: str(body.consentedAt),
  };
}
