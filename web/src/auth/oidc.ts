/**
 * The web client's OpenID Connect flows, with oauth4webapi: authorization code with PKCE S256,
 * `state` and `nonce` (RFC 9700 §2.1), refresh with rotation, token revocation (RFC 7009) and
 * RP-initiated logout.
 *
 * Multi-tenant sign-in: the request starts at `/organizations`, whose discovery has a template
 * issuer (`{tenantid}`), so nothing can be validated against it. The tenant's provider answers the
 * callback with its issuer in `iss` (RFC 9207). That value is used only when it names one of this
 * origin's tenants (`${origin}/<uuid>/v2.0`); the tenant's own discovery is then fetched and every
 * later check (the `iss` of the response, the ID token's `iss`, `aud`, `nonce`, expiry) is made by
 * oauth4webapi against that metadata. The code is redeemed at the tenant's token endpoint.
 */
import * as oauth from 'oauth4webapi';
import {
  SIGN_IN_SCOPES,
  WEB_CLIENT_ID,
  organizationsDiscoveryUrl,
  postLogoutRedirectUri,
  redirectUri,
  tenantIssuer,
} from './client-config.ts';
import type { IdentityClaims, TokenSet } from './token-store.ts';

const CLIENT: oauth.Client = { client_id: WEB_CLIENT_ID, token_endpoint_auth_method: 'none' };
const CLIENT_AUTH = oauth.None();
const PENDING_KEY = 'parley.auth.pending';
/** A sign-in left unfinished longer than this is refused on return (the provider's limit is 15 min). */
const PENDING_MAX_AGE_MS = 30 * 60_000;

/** A sign-in that could not be completed; `message` is fit to show. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly startedAt: number;
}

const metadataCache = new Map<string, Promise<oauth.AuthorizationServer>>();

/** A same-origin path to come back to after sign-in; anything else becomes `/`. */
export function safeReturnPath(path: string | undefined): string {
  if (path === undefined || !path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return '/';
  const url = new URL(path, window.location.origin);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/auth/callback')) return '/';
  return url.pathname + url.search;
}

/** The tenant's provider metadata, fetched once per page and checked against its issuer (RFC 8414 §3.3). */
export function tenantMetadata(issuer: string): Promise<oauth.AuthorizationServer> {
  let cached = metadataCache.get(issuer);
  if (cached === undefined) {
    const issuerUrl = new URL(issuer);
    cached = oauth
      .discoveryRequest(issuerUrl, { algorithm: 'oidc' })
      .then((response) => oauth.processDiscoveryResponse(issuerUrl, response));
    cached.catch(() => metadataCache.delete(issuer));
    metadataCache.set(issuer, cached);
  }
  return cached;
}

async function organizationsAuthorizationEndpoint(): Promise<URL> {
  const response = await fetch(organizationsDiscoveryUrl(), { headers: { accept: 'application/json' } });
  if (!response.ok) throw new SignInError('discovery_failed', 'Sign-in is not available right now.');
  const body: unknown = await response.json();
  const endpoint =
    typeof body === 'object' && body !== null && 'authorization_endpoint' in body
      ? body.authorization_endpoint
      : undefined;
  if (typeof endpoint !== 'string')
    throw new SignInError('discovery_failed', 'Sign-in is not available right now.');
  const url = new URL(endpoint);
  if (url.origin !== window.location.origin)
    throw new SignInError('discovery_failed', 'Sign-in is not available right now.');
  return url;
}

/**
 * Sends the browser to the provider. Without a hint `/organizations` asks for the work address
 * first; with one it goes straight to the user's tenant.
 */
export async function beginSignIn(options: { loginHint?: string; returnTo?: string } = {}): Promise<void> {
  const authorize = await organizationsAuthorizationEndpoint();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const pending: PendingSignIn = {
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    codeVerifier,
    returnTo: safeReturnPath(options.returnTo),
    startedAt: Date.now(),
  };
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const params = authorize.searchParams;
  params.set('client_id', WEB_CLIENT_ID);
  params.set('response_type', 'code');
  params.set('redirect_uri', redirectUri());
  params.set('scope', SIGN_IN_SCOPES);
  params.set('state', pending.state);
  params.set('nonce', pending.nonce);
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  params.set('code_challenge_method', 'S256');
  params.set('response_mode', 'query');
  // OpenID Connect Core §11: a provider may drop `offline_access` unless `prompt` includes
  // `consent` (oidc-provider does). The sign-in page records consent without asking, so this only
  // ensures the refresh token the session needs.
  params.set('prompt', 'consent');
  if (options.loginHint !== undefined && options.loginHint !== '')
    params.set('login_hint', options.loginHint);
  window.location.assign(authorize.href);
}

function takePending(): PendingSignIn | undefined {
  const raw = window.sessionStorage.getItem(PENDING_KEY);
  // Single use: a replayed callback finds nothing.
  window.sessionStorage.removeItem(PENDING_KEY);
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignIn>;
    if (
      typeof value.state === 'string' &&
      typeof value.nonce === 'string' &&
      typeof value.codeVerifier === 'string' &&
      typeof value.returnTo === 'string' &&
      typeof value.startedAt === 'number' &&
      Date.now() - value.startedAt < PENDING_MAX_AGE_MS
    )
      return value as PendingSignIn;
  } catch {
    // Unreadable: same as absent.
  }
  return undefined;
}

function claimsOf(result: oauth.TokenEndpointResponse): IdentityClaims {
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (claims === undefined)
    throw new SignInError('invalid_response', 'The sign-in response had no ID token.');
  const text = (key: string): string | undefined => {
    const value = claims[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    sub: claims.sub,
    oid: text('oid'),
    tid: text('tid'),
    name: text('name'),
    preferredUsername: text('preferred_username'),
  };
}

function tokenSet(
  issuer: string,
  result: oauth.TokenEndpointResponse,
  previous: TokenSet | undefined,
  presentedRefreshToken?: string,
): TokenSet {
  const idToken = result.id_token ?? previous?.idToken;
  if (idToken === undefined)
    throw new SignInError('invalid_response', 'The sign-in response had no ID token.');
  const claims = result.id_token !== undefined ? claimsOf(result) : previous?.claims;
  if (claims === undefined)
    throw new SignInError('invalid_response', 'The sign-in response had no ID token.');
  // OpenID Connect Core §12.2: a refreshed ID token must be about the same user.
  if (previous !== undefined && claims.sub !== previous.claims.sub)
    throw new SignInError('invalid_response', 'The refreshed session belongs to another user.');
  return {
    issuer,
    accessToken: result.access_token,
    accessTokenExpiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
    idToken,
    claims,
    // Rotation (RFC 9700 §4.14.2): the new refresh token replaces the old one.
    refreshToken: result.refresh_token ?? presentedRefreshToken ?? previous?.refreshToken,
  };
}

/** An authorization error response (RFC 6749 §4.1.2.1) as a message for the page. */
function errorResponse(code: string, description: string | null | undefined): SignInError {
  if (code === 'access_denied') return new SignInError(code, 'Sign-in was cancelled or not allowed.');
  return new SignInError(code, description ?? 'Sign-in could not be completed.');
}

function describe(err: unknown): SignInError {
  if (err instanceof SignInError) return err;
  if (err instanceof oauth.AuthorizationResponseError) return errorResponse(err.error, err.error_description);
  // fetch() rejects with a plain TypeError when the server cannot be reached (oauth4webapi's own
  // argument errors carry a `code`).
  if (err instanceof TypeError && !('code' in err))
    return new SignInError('network_error', 'The server could not be reached. Check your connection.');
  if (err instanceof oauth.ResponseBodyError)
    return new SignInError(err.error, err.error_description ?? 'Sign-in could not be completed.');
  return new SignInError('invalid_response', 'Sign-in could not be completed. Start again.');
}

/** Finishes the sign-in at `/auth/callback`: validates the response and redeems the code. */
export async function completeSignIn(callback: URL): Promise<{ tokens: TokenSet; returnTo: string }> {
  const pending = takePending();
  if (pending === undefined)
    throw new SignInError('no_pending_sign_in', 'This sign-in link has expired or was already used.');
  try {
    const tenant = tenantIssuer(callback.searchParams.get('iss'));
    if (tenant === undefined) {
      // An error response still proves nothing without a matching state, but its message helps.
      const error = callback.searchParams.get('error');
      if (error !== null && callback.searchParams.get('state') === pending.state)
        throw errorResponse(error, callback.searchParams.get('error_description'));
      throw new SignInError('invalid_response', 'The sign-in response did not come from this server.');
    }
    const as = await tenantMetadata(tenant.issuer);
    const params = oauth.validateAuthResponse(as, CLIENT, callback, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      CLIENT,
      CLIENT_AUTH,
      params,
      redirectUri(),
      pending.codeVerifier,
    );
    const result = await oauth.processAuthorizationCodeResponse(as, CLIENT, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    return { tokens: tokenSet(tenant.issuer, result, undefined), returnTo: pending.returnTo };
  } catch (err) {
    throw describe(err);
  }
}

/** Exchanges the refresh token for new tokens; the answer's refresh token replaces the old one. */
export async function refreshTokens(
  issuer: string,
  refreshToken: string,
  previous: TokenSet | undefined,
): Promise<TokenSet> {
  const tenant = tenantIssuer(issuer);
  if (tenant === undefined) throw new SignInError('invalid_session', 'Sign in again.');
  try {
    const as = await tenantMetadata(tenant.issuer);
    const response = await oauth.refreshTokenGrantRequest(as, CLIENT, CLIENT_AUTH, refreshToken);
    const result = await oauth.processRefreshTokenResponse(as, CLIENT, response);
    // `result` itself must be passed on: oauth4webapi keys its validated ID token claims to it.
    return tokenSet(tenant.issuer, result, previous, refreshToken);
  } catch (err) {
    throw describe(err);
  }
}

/**
 * Ends the session: revokes the refresh token (RFC 7009; best effort, the provider also ends the
 * grant's session) and returns the tenant's end-session URL (OpenID Connect RP-Initiated Logout
 * §2) with the ID token as hint, this client's id and the registered post-logout redirect.
 */
export async function endSessionUrl(tokens: TokenSet): Promise<string> {
  const as = await tenantMetadata(tokens.issuer);
  if (tokens.refreshToken !== undefined && as.revocation_endpoint !== undefined) {
    try {
      const response = await oauth.revocationRequest(as, CLIENT, CLIENT_AUTH, tokens.refreshToken);
      await oauth.processRevocationResponse(response);
    } catch {
      // Revocation failing must not keep the user signed in here; logout below still ends the session.
    }
  }
  const endpoint = as.end_session_endpoint;
  if (endpoint === undefined) return postLogoutRedirectUri();
  const url = new URL(endpoint);
  if (url.origin !== window.location.origin) return postLogoutRedirectUri();
  url.searchParams.set('id_token_hint', tokens.idToken);
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri());
  url.searchParams.set('client_id', WEB_CLIENT_ID);
  return url.href;
}
