/**
 * Where the signed-in session's tokens live.
 *
 * The access token and ID token are kept in memory only. The refresh token is also kept in
 * `sessionStorage`, so a reload or a new page load in the same tab resumes the session without a
 * trip through the provider. The trade-off: sessionStorage is readable by any script running on
 * this origin, so an XSS bug could read the refresh token, where memory-only storage would limit
 * it to tokens of the open page. That exposure is bounded by the strict Content-Security-Policy
 * (`script-src 'self'`, no inline scripts), by sessionStorage being per tab and cleared when the
 * tab closes (nothing persists on disk across browser sessions, nothing is shared between tabs),
 * and by refresh-token rotation: every refresh returns a new token and the old one stops working,
 * so a copied token is detected the next time either copy is used (RFC 9700 §4.14.2).
 */

/** The ID token claims the client reads. */
export interface IdentityClaims {
  readonly sub: string;
  readonly oid: string | undefined;
  readonly tid: string | undefined;
  readonly name: string | undefined;
  readonly preferredUsername: string | undefined;
}

/** A signed-in session's tokens. */
export interface TokenSet {
  /** The tenant's issuer, `${origin}/<tenant id>/v2.0`. */
  readonly issuer: string;
  readonly accessToken: string;
  /** Epoch ms when the access token expires. */
  readonly accessTokenExpiresAt: number;
  readonly idToken: string;
  readonly claims: IdentityClaims;
  readonly refreshToken: string | undefined;
}

/** What survives a reload: enough to refresh, nothing else. */
export interface StoredRefresh {
  readonly issuer: string;
  readonly refreshToken: string;
}

const REFRESH_KEY = 'parley.auth.refresh';
let current: TokenSet | undefined;

/** The tokens of the open page, if signed in. */
export function currentTokens(): TokenSet | undefined {
  return current;
}

/** Replaces the session's tokens; a rotated refresh token replaces the stored one. */
export function saveTokens(tokens: TokenSet): void {
  current = tokens;
  try {
    if (tokens.refreshToken === undefined) window.sessionStorage.removeItem(REFRESH_KEY);
    else
      window.sessionStorage.setItem(
        REFRESH_KEY,
        JSON.stringify({ issuer: tokens.issuer, refreshToken: tokens.refreshToken } satisfies StoredRefresh),
      );
  } catch {
    // Storage can be disabled by the browser; the session then lasts as long as the page.
  }
}

/** The refresh token kept for this tab, if any. */
export function storedRefresh(): StoredRefresh | undefined {
  let raw: string | null;
  try {
    raw = window.sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return undefined;
  }
  if (raw === null) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' &&
      value !== null &&
      'issuer' in value &&
      'refreshToken' in value &&
      typeof value.issuer === 'string' &&
      typeof value.refreshToken === 'string'
    )
      return { issuer: value.issuer, refreshToken: value.refreshToken };
  } catch {
    // Unreadable: treated as absent and cleared below.
  }
  clearTokens();
  return undefined;
}

/** Forgets every token (sign-out, or a refresh the provider refused). */
export function clearTokens(): void {
  current = undefined;
  try {
    window.sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // Nothing stored.
  }
}
