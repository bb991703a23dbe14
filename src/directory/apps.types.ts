/**
 * App registrations as the identity provider and the admin API see them: OAuth clients (public or
 * confidential), what they expose as an API, and the credentials and consents they hold. Shapes
 * follow Microsoft Graph's `application` resource so MSAL-based clients and bots configure the
 * same way as against Entra ID.
 */

/** Who may sign in to the app: its own tenant only, or any tenant of this installation. */
export type SignInAudience = 'AzureADMyOrg' | 'AzureADMultipleOrgs';

/** A delegated permission the app exposes as an API (`scp` in tokens). */
export interface ApiScope {
  readonly value: string;
  readonly description: string;
}

/** An application role the app exposes (`roles` in app-only tokens). */
export interface AppRole {
  readonly value: string;
  readonly description: string;
}

/** Permissions the app asks for on a resource (an app id or identifier URI). */
export interface RequiredResourceAccess {
  readonly resource: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
}

export interface AppRegistration {
  /** Object id of the registration. */
  readonly id: string;
  /** The OAuth client id. */
  readonly appId: string;
  /** The tenant that owns the registration. */
  readonly tenantId: string;
  readonly displayName: string;
  readonly signInAudience: SignInAudience;
  /** Public clients hold no secret and must use PKCE (RFC 7636). */
  readonly isPublicClient: boolean;
  /** Exact strings; compared without normalisation (RFC 9700 §4.1.3, OAuth 2.1 §2.3.1). */
  readonly redirectUris: readonly string[];
  readonly identifierUris: readonly string[];
  readonly apiScopes: readonly ApiScope[];
  readonly appRoles: readonly AppRole[];
  readonly requiredResourceAccess: readonly RequiredResourceAccess[];
  /** Registrations Parley owns (web client, CLI): usable by every tenant, not editable by admins. */
  readonly isFirstParty: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What is kept of a client secret: never the secret, only its hint. */
export interface AppSecretInfo {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  /** The first three characters, to tell secrets apart. */
  readonly hint: string;
  readonly expiresAt: number;
  readonly createdAt: number;
}

/** A client certificate for `private_key_jwt` (RFC 7523) client authentication. */
export interface AppCertificate {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  /** base64url SHA-256 of the DER (`x5t#S256`, RFC 7515 §4.1.8). */
  readonly thumbprintSha256: string;
  /** base64url SHA-1 of the DER (`x5t`, RFC 7515 §4.1.7; what MSAL sends). */
  readonly thumbprintSha1: string;
  readonly certificatePem: string;
  readonly expiresAt: number;
  readonly createdAt: number;
}

/** A tenant admin's consent: delegated scopes and application roles an app holds on a resource. */
export interface AppConsent {
  readonly tenantId: string;
  readonly appId: string;
  readonly resource: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly consentedBy: string;
  readonly consentedAt: number;
}

/** The app side of the directory that the token endpoint and authenticators read. */
export interface AppDirectory {
  getApp(appId: string): Promise<AppRegistration | undefined>;
  /** The tenant's own registrations (first-party apps included for the tenant that owns them). */
  listApps(tenantId: string): Promise<readonly AppRegistration[]>;
  /** True when `secret` matches an unexpired secret of the app. Spends the same time either way. */
  verifyClientSecret(appId: string, secret: string): Promise<boolean>;
  /** Certificates of the app that have not expired. */
  listCertificates(appId: string): Promise<readonly AppCertificate[]>;
  getConsent(tenantId: string, appId: string, resource: string): Promise<AppConsent | undefined>;
}

/** Parley's web client (single-page app, authorization code + PKCE). */
export const WEB_CLIENT_APP_ID = '5a1e6c0d-1b2f-4c3d-9e8f-7a6b5c4d3e2f';
/** The `parley` command-line tool (device authorization grant, RFC 8628). */
export const CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/** Whether a user or app of `tenantId` may use `app`. */
export function isAppAvailableTo(app: AppRegistration, tenantId: string): boolean {
  return app.tenantId === tenantId || app.signInAudience === 'AzureADMultipleOrgs';
}
