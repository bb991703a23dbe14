/**
 * The page's session: signed out, being restored from the tab's refresh token, or signed in. A
 * small store that React reads through {@link useSession}; API calls go through
 * {@link authorizedRequest}, which refreshes the access token shortly before it expires and once
 * more when the server answers 401, and signs the page out when the provider refuses the refresh.
 */
import { useSyncExternalStore } from 'react';
import { ApiError, requestJson, type JsonRequest } from '../api/http.ts';
import { SignInError, beginSignIn, endSessionUrl, refreshTokens } from './oidc.ts';
import {
  clearTokens,
  currentTokens,
  saveTokens,
  storedRefresh,
  type IdentityClaims,
  type TokenSet,
} from './token-store.ts';

/** What the page knows about the user's session. */
export type SessionState =
  | { readonly status: 'restoring' }
  | { readonly status: 'signed-out'; readonly notice: string | undefined }
  | { readonly status: 'signed-in'; readonly claims: IdentityClaims };

/** Refresh this long before the access token expires, so a request never carries a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

let state: SessionState = { status: 'restoring' };
const listeners = new Set<() => void>();
let refreshing: Promise<TokenSet> | undefined;
let restoring: Promise<void> | undefined;

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current session state, re-rendering the caller when it changes. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Starts a session from the tokens of a completed sign-in. */
export function startSession(tokens: TokenSet): void {
  saveTokens(tokens);
  setState({ status: 'signed-in', claims: tokens.claims });
}

function endLocally(notice: string | undefined): void {
  clearTokens();
  setState({ status: 'signed-out', notice });
}

/** One refresh at a time: parallel requests wait for the same new tokens. */
function refreshNow(): Promise<TokenSet> {
  refreshing ??= (async () => {
    const previous = currentTokens();
    const stored = storedRefresh();
    const refreshToken = previous?.refreshToken ?? stored?.refreshToken;
    const issuer = previous?.issuer ?? stored?.issuer;
    if (refreshToken === undefined || issuer === undefined) {
      endLocally('Your session has ended. Sign in again.');
      throw new ApiError('unauthenticated', 401, 'Sign in to continue.');
    }
    try {
      const tokens = await refreshTokens(issuer, refreshToken, previous);
      startSession(tokens);
      return tokens;
    } catch (err) {
      if (err instanceof SignInError && err.code === 'network_error') {
        // The tokens may still be good: keep them and let the caller retry later.
        if (state.status === 'restoring') setState({ status: 'signed-out', notice: err.message });
        throw new ApiError('network_error', 0, err.message);
      }
      // The provider refused the refresh token (expired, revoked, or rotated away elsewhere).
      endLocally('Your session has ended. Sign in again.');
      throw new ApiError('unauthenticated', 401, 'Your session has ended. Sign in again.');
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/**
 * Resumes the tab's session from its stored refresh token, once per page load. Called at start
 * (except on the sign-in callback, which starts the session itself).
 */
export function restoreSession(): Promise<void> {
  restoring ??= (async () => {
    if (currentTokens() !== undefined) return;
    if (storedRefresh() === undefined) {
      setState({ status: 'signed-out', notice: undefined });
      return;
    }
    try {
      await refreshNow();
    } catch {
      // refreshNow already moved the page to signed-out with a notice.
    }
  })();
  return restoring;
}

/** Marks the page signed out without touching storage (the callback page before it has tokens). */
export function awaitCallback(): void {
  restoring ??= Promise.resolve();
  if (state.status === 'restoring') setState({ status: 'signed-out', notice: undefined });
}

/** A valid access token, refreshed first when it is about to expire. */
export async function accessToken(): Promise<string> {
  const tokens = currentTokens();
  if (tokens !== undefined && tokens.accessTokenExpiresAt - Date.now() > EXPIRY_MARGIN_MS)
    return tokens.accessToken;
  return (await refreshNow()).accessToken;
}

/** A JSON request with the session's access token; a 401 is retried once after a refresh. */
export async function authorizedRequest(path: string, options: Omit<JsonRequest, 'accessToken'> = {}) {
  const token = await accessToken();
  try {
    return await requestJson(path, { ...options, accessToken: token });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    const fresh = await refreshNow();
    return requestJson(path, { ...options, accessToken: fresh.accessToken });
  }
}

/** Sends the browser to sign in, coming back to `returnTo` (default: the current page). */
export function signIn(returnTo?: string): Promise<void> {
  return beginSignIn({ returnTo: returnTo ?? window.location.pathname + window.location.search });
}

/**
 * Signs out: forgets the tokens here first (so nothing is left if the provider is unreachable),
 * then ends the provider's session through its end-session endpoint.
 */
export async function signOut(): Promise<void> {
  const tokens = currentTokens();
  endLocally(undefined);
  if (tokens === undefined) return;
  let target: string;
  try {
    target = await endSessionUrl(tokens);
  } catch {
    return;
  }
  window.location.assign(target);
}
