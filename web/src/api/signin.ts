/**
 * The sign-in page's API (`/login/{uid}/...`). The endpoints sit under the page's own path so the
 * provider's path-scoped interaction cookie is sent with them; every POST is JSON and carries the
 * browser's Origin, which the server checks.
 */
import { ApiError, isRecord, requestJson } from './http.ts';

/** Which step the sign-in is at. */
export type SignInStep = 'password' | 'mfa' | 'mfa_enrolment' | 'consent';

/** `GET /login/{uid}/state`. */
export interface SignInState {
  readonly application: string;
  readonly organization: string;
  readonly loginHint: string | undefined;
  readonly step: SignInStep;
}

/** What comes after a step: another step, or done with the URL that resumes the OAuth request. */
export type SignInNext =
  | { readonly next: 'done'; readonly redirectTo: string; readonly recoveryCodes: readonly string[] }
  | { readonly next: 'mfa' }
  | { readonly next: 'mfa_enrolment' };

/** `POST /login/{uid}/mfa/enrolment`: the new authenticator secret, as text and as a QR code. */
export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUri: string;
  readonly qrSvg: string;
}

const STEPS: readonly string[] = ['password', 'mfa', 'mfa_enrolment', 'consent'];

function unexpected(): ApiError {
  return new ApiError('bad_response', 200, 'The server sent an unexpected response.');
}

function base(uid: string): string {
  return `/login/${encodeURIComponent(uid)}`;
}

/** Validates a state body. */
export function parseSignInState(body: unknown): SignInState {
  if (
    !isRecord(body) ||
    typeof body.application !== 'string' ||
    typeof body.organization !== 'string' ||
    typeof body.step !== 'string' ||
    !STEPS.includes(body.step)
  )
    throw unexpected();
  return {
    application: body.application,
    organization: body.organization,
    loginHint: typeof body.loginHint === 'string' ? body.loginHint : undefined,
    step: body.step as SignInStep,
  };
}

/**
 * Validates a step answer. `redirectTo` must stay on this origin: it continues the OAuth request
 * at the provider, and anything else would make the page an open redirector.
 */
export function parseSignInNext(body: unknown): SignInNext {
  if (!isRecord(body)) throw unexpected();
  if (body.next === 'mfa' || body.next === 'mfa_enrolment') return { next: body.next };
  if (body.next !== 'done' || typeof body.redirectTo !== 'string') throw unexpected();
  const target = new URL(body.redirectTo, window.location.origin);
  if (target.origin !== window.location.origin) throw unexpected();
  const codes = Array.isArray(body.recoveryCodes)
    ? body.recoveryCodes.filter((c): c is string => typeof c === 'string')
    : [];
  return { next: 'done', redirectTo: target.href, recoveryCodes: codes };
}

/** Validates an enrolment body (also used by the Security page's own enrolment). */
export function parseEnrolment(body: unknown): TotpEnrolment {
  if (
    !isRecord(body) ||
    typeof body.secret !== 'string' ||
    typeof body.otpauthUri !== 'string' ||
    typeof body.qrSvg !== 'string'
  )
    throw unexpected();
  return { secret: body.secret, otpauthUri: body.otpauthUri, qrSvg: body.qrSvg };
}

/** Reads where the sign-in stands. */
export async function fetchSignInState(uid: string, signal?: AbortSignal): Promise<SignInState> {
  return parseSignInState(await requestJson(`${base(uid)}/state`, { signal }));
}

/** Checks the username and password. */
export async function submitPassword(uid: string, username: string, password: string): Promise<SignInNext> {
  return parseSignInNext(await requestJson(`${base(uid)}/password`, { body: { username, password } }));
}

/** Checks a six-digit authenticator code or a recovery code. */
export async function submitSecondFactor(uid: string, code: string): Promise<SignInNext> {
  return parseSignInNext(await requestJson(`${base(uid)}/mfa`, { body: { code } }));
}

/** Starts authenticator enrolment: a fresh secret and its QR code. */
export async function beginEnrolment(uid: string): Promise<TotpEnrolment> {
  return parseEnrolment(await requestJson(`${base(uid)}/mfa/enrolment`, { method: 'POST', body: {} }));
}

/** Confirms enrolment with a first code; the answer carries the recovery codes, shown once. */
export async function confirmEnrolment(uid: string, code: string): Promise<SignInNext> {
  return parseSignInNext(await requestJson(`${base(uid)}/mfa/enrolment/confirm`, { body: { code } }));
}

/** Records consent when the provider asks for it after an earlier sign-in. */
export async function giveConsent(uid: string): Promise<SignInNext> {
  return parseSignInNext(await requestJson(`${base(uid)}/consent`, { method: 'POST', body: {} }));
}

/** Cancels the sign-in; the provider answers the application with `access_denied`. */
export async function abortSignIn(uid: string): Promise<string> {
  const body = await requestJson(`${base(uid)}/abort`, { method: 'POST', body: {} });
  if (!isRecord(body) || typeof body.redirectTo !== 'string') throw unexpected();
  const target = new URL(body.redirectTo, window.location.origin);
  if (target.origin !== window.location.origin) throw unexpected();
  return target.href;
}
