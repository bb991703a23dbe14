/** Admin API for the tenant's domains and sign-in policy (src/directory/admin/domains.routes.ts). */
import { authorizedRequest } from '../../auth/session.ts';
import { isRecord } from '../http.ts';
import { ADMIN_PREFIX, unexpectedResponse } from './users.ts';

export interface AdminDomain {
  readonly name: string;
  readonly isVerified: boolean;
  readonly isDefault: boolean;
  /** Published as a DNS TXT record to prove ownership before verifying. */
  readonly verificationCode: string;
}

export interface SignInPolicy {
  readonly requireMfa: boolean;
  /** CIDR ranges sign-in is allowed from; empty allows every address. */
  readonly allowedNetworks: readonly string[];
}

function parseDomain(body: unknown): AdminDomain {
  if (!isRecord(body) || typeof body.name !== 'string') throw unexpectedResponse();
  return {
    name: body.name,
    isVerified: body.isVerified === true,
    isDefault: body.isDefault === true,
    verificationCode: typeof body.verificationCode === 'string' ? body.verificationCode : '',
  };
}

function parsePolicy(body: unknown): SignInPolicy {
  if (!isRecord(body) || typeof body.requireMfa !== 'boolean' || !Array.isArray(body.allowedNetworks))
    throw unexpectedResponse();
  return {
    requireMfa: body.requireMfa,
    allowedNetworks: body.allowedNetworks.filter((n): n is string => typeof n === 'string'),
  };
}

export async function listDomains(signal?: AbortSignal): Promise<readonly AdminDomain[]> {
  const body = await authorizedRequest(`${ADMIN_PREFIX}/domains`, { signal });
  if (!isRecord(body) || !Array.isArray(body.domains)) throw unexpectedResponse();
  return body.domains.map(parseDomain);
}

export async function addDomain(name: string): Promise<AdminDomain> {
  return parseDomain(await authorizedRequest(`${ADMIN_PREFIX}/domains`, { body: { name } }));
}

export async function verifyDomain(name: string): Promise<AdminDomain> {
  return parseDomain(
    await authorizedRequest(`${ADMIN_PREFIX}/domains/${encodeURIComponent(name)}/verify`, { method: 'POST' }),
  );
}

export async function getSignInPolicy(signal?: AbortSignal): Promise<SignInPolicy> {
  return parsePolicy(await authorizedRequest(`${ADMIN_PREFIX}/sign-in-policy`, { signal }));
}

export async function putSignInPolicy(policy: SignInPolicy): Promise<SignInPolicy> {
  return parsePolicy(
    await authorizedRequest(`${ADMIN_PREFIX}/sign-in-policy`, { method: 'PUT', body: policy }),
  );
}
