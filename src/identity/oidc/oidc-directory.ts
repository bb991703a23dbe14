/**
 * What the identity provider needs from the directory, as one narrow interface: the directory
 * module implements it (identity.module.ts adapts its services), and tests can see at a glance
 * what the provider reads.
 */
import type { DirectoryReader } from '../../directory/directory.types.ts';

export interface OidcClientRecord {
  readonly appId: string;
  /** The tenant the registration lives in. */
  readonly homeTenantId: string;
  readonly displayName: string;
  readonly multiTenant: boolean;
  readonly isPublicClient: boolean;
  readonly isFirstParty: boolean;
  readonly redirectUris: readonly string[];
  /** Delegated scopes the app exposes as an API (for api://… resources). */
  readonly apiScopes: readonly string[];
  /** Application roles the app exposes as an API. */
  readonly apiRoles: readonly string[];
  readonly certificates: readonly { readonly pem: string }[];
}

export interface OidcConsent {
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
}

export interface OidcDirectory {
  readonly reader: DirectoryReader;
  findClient(appId: string): Promise<OidcClientRecord | undefined>;
  /** The app whose identifier URI (or app id) names this resource. */
  findApi(resource: string): Promise<OidcClientRecord | undefined>;
  verifyClientSecret(appId: string, secret: string): Promise<boolean>;
  /** The tenant's admin consent for an app on a resource. */
  consent(tenantId: string, appId: string, resource: string): Promise<OidcConsent | undefined>;
}
