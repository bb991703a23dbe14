/**
 * The signed-in user's own resources: the Graph-shaped profile (`GET /v1.0/me`) and second-factor
 * self-service under `/api/v1/me/authentication`. Changing or removing the authenticator and
 * replacing recovery codes each need a current code, so a stolen access token alone cannot
 * take over the second factor.
 */
import { authorizedRequest } from '../auth/session.ts';
import { ApiError, isRecord } from './http.ts';
import { parseEnrolment, type TotpEnrolment } from './signin.ts';

/** The fields of Graph's `user` resource the client shows. */
export interface MeProfile {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly mail: string | undefined;
  readonly jobTitle: string | undefined;
  readonly department: string | undefined;
}

/** The user's second factors, as `GET /api/v1/me/authentication/methods` reports them. */
export interface AuthenticationMethods {
  readonly totpEnrolled: boolean;
  readonly totpConfirmedAt: number | undefined;
  readonly totpPending: boolean;
  readonly recoveryCodesRemaining: number;
}

function unexpected(): ApiError {
  return new ApiError('bad_response', 200, 'The server sent an unexpected response.');
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Validates a Graph user body. */
export function parseMe(body: unknown): MeProfile {
  if (!isRecord(body) || typeof body.id !== 'string' || typeof body.userPrincipalName !== 'string')
    throw unexpected();
  return {
    id: body.id,
    displayName: optionalText(body.displayName) ?? body.userPrincipalName,
    userPrincipalName: body.userPrincipalName,
    mail: optionalText(body.mail),
    jobTitle: optionalText(body.jobTitle),
    department: optionalText(body.department),
  };
}

/** Validates the methods body: `{ totp: { enrolled, pending, confirmedAt }, recoveryCodesRemaining }`. */
export function parseMethods(body: unknown): AuthenticationMethods {
  const totp = isRecord(body) ? body.totp : undefined;
  if (!isRecord(body) || !isRecord(totp) || typeof totp.enrolled !== 'boolean') throw unexpected();
  const confirmedAt = typeof totp.confirmedAt === 'string' ? Date.parse(totp.confirmedAt) : NaN;
  return {
    totpEnrolled: totp.enrolled,
    totpConfirmedAt: Number.isNaN(confirmedAt) ? undefined : confirmedAt,
    totpPending: totp.pending === true,
    recoveryCodesRemaining: typeof body.recoveryCodesRemaining === 'number' ? body.recoveryCodesRemaining : 0,
  };
}

function parseRecoveryCodes(body: unknown): readonly string[] {
  const codes = isRecord(body) ? body.recoveryCodes : body;
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string')) throw unexpected();
  return codes;
}

/** `GET /v1.0/me`. */
export async function fetchMe(signal?: AbortSignal): Promise<MeProfile> {
  return parseMe(await authorizedRequest('/v1.0/me', { signal }));
}

/** `GET /api/v1/me/authentication/methods`. */
export async function fetchMethods(signal?: AbortSignal): Promise<AuthenticationMethods> {
  return parseMethods(await authorizedRequest('/api/v1/me/authentication/methods', { signal }));
}

/** Starts authenticator enrolment (replaces an unconfirmed one). */
export async function beginTotp(): Promise<TotpEnrolment> {
  return parseEnrolment(
    await authorizedRequest('/api/v1/me/authentication/totp/begin', { method: 'POST', body: {} }),
  );
}

/** Confirms enrolment with a first code; returns the new recovery codes (shown once). */
export async function confirmTotp(code: string): Promise<readonly string[]> {
  return parseRecoveryCodes(
    await authorizedRequest('/api/v1/me/authentication/totp/confirm', { body: { code } }),
  );
}

/** Removes the authenticator and its recovery codes; needs a current code. */
export async function removeTotp(code: string): Promise<void> {
  await authorizedRequest('/api/v1/me/authentication/totp', { method: 'DELETE', body: { code } });
}

/** Replaces the recovery codes; needs a current code. */
export async function regenerateRecoveryCodes(code: string): Promise<readonly string[]> {
  return parseRecoveryCodes(
    await authorizedRequest('/api/v1/me/authentication/recovery-codes', { body: { code } }),
  );
}
