/**
 * The web client's OAuth registration. The client id is Parley's first-party registration
 * (`WEB_CLIENT_APP_ID` in src/directory/apps.types.ts on the server; the web build cannot import
 * server code, so it is repeated here and must stay equal). It is a public client: no secret,
 * PKCE S256 required (RFC 7636, RFC 9700 §2.1.1).
 */

/** Client id of the web client (same value as the server's WEB_CLIENT_APP_ID). */
export const WEB_CLIENT_ID = '5a1e6c0d-1b2f-4c3d-9e8f-7a6b5c4d3e2f';

/**
 * Scopes asked at sign-in: OpenID Connect (`openid profile`), a refresh token (`offline_access`)
 * and the delegated permissions of Parley's Graph-shaped API, which is the access token's audience.
 */
export const SIGN_IN_SCOPES = 'openid profile offline_access User.Read User.ReadBasic.All';

/** Where the provider sends the authorization response (registered exactly for this client). */
export function redirectUri(): string {
  return `${window.location.origin}/auth/callback`;
}

/** Where the provider returns after sign-out (also registered for this client). */
export function postLogoutRedirectUri(): string {
  return `${window.location.origin}/`;
}

/** Discovery of the multi-tenant authority; its issuer is a template, so only endpoints are used from it. */
export function organizationsDiscoveryUrl(): string {
  return `${window.location.origin}/organizations/v2.0/.well-known/openid-configuration`;
}

const TENANT_ISSUER = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0$/;

/**
 * Accepts an issuer only when it is one of this server's tenants: `${origin}/<tenant uuid>/v2.0`.
 * This keeps a forged callback from pointing the client at another authority's discovery.
 */
export function tenantIssuer(
  issuer: string | null | undefined,
): { issuer: string; tenantId: string } | undefined {
  if (typeof issuer !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return undefined;
  }
  if (url.origin !== window.location.origin || url.search !== '' || url.hash !== '') return undefined;
  const match = TENANT_ISSUER.exec(url.pathname.toLowerCase());
  if (match?.[1] === undefined || `${url.origin}${url.pathname}` !== issuer) return undefined;
  return { issuer, tenantId: match[1] };
}
