/**
 * Presents the directory's reader and app registrations as the narrow view the identity provider
 * uses (OidcDirectory).
 */
import type { DirectoryReader } from '../directory/directory.types.ts';
import type { AppRegistration } from '../directory/apps.types.ts';
import type { DirectoryApps } from '../directory/directory.ts';
import type { OidcClientRecord, OidcDirectory } from './oidc/oidc-directory.ts';
import { canonicalResource } from './oidc/resources.ts';

export function oidcDirectory(reader: DirectoryReader, apps: DirectoryApps): OidcDirectory {
  const record = async (app: AppRegistration): Promise<OidcClientRecord> => ({
    appId: app.appId,
    homeTenantId: app.tenantId,
    displayName: app.displayName,
    multiTenant: app.signInAudience === 'AzureADMultipleOrgs',
    isPublicClient: app.isPublicClient,
    isFirstParty: app.isFirstParty,
    redirectUris: app.redirectUris,
    apiScopes: app.apiScopes.map((s) => s.value),
    apiRoles: app.appRoles.map((r) => r.value),
    certificates: app.isPublicClient
      ? []
      : (await apps.listCertificates(app.appId)).map((c) => ({ pem: c.certificatePem })),
  });
  return {
    reader,
    async findClient(appId) {
      if (typeof appId !== 'string' || appId.length > 64) return undefined;
      const app = await apps.getApp(appId);
      return app === undefined ? undefined : record(app);
    },
    async findApi(resource) {
      // By app id or identifier URI (`api://…`), as the directory resolves OAuth resources.
      const app = await apps.findAppByResource(resource);
      return app === undefined ? undefined : record(app);
    },
    verifyClientSecret: (appId, secret) => apps.verifyClientSecret(appId, secret),
    async consent(tenantId, appId, resource) {
      const consent = await apps.getConsent(tenantId, appId, canonicalResource(resource));
      return consent === undefined ? undefined : { scopes: consent.scopes, roles: consent.roles };
    },
  };
}
