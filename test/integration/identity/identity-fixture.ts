/**
 * Directory set-up for identity protocol tests, through the directory's own services on the test
 * server's database (as an admin would, via the admin API): a tenant, users with passwords,
 * confidential and public app registrations, secrets, certificates and admin consent.
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import type { TestServer } from '../../harness/server.ts';
import { fastHasher } from '../../factories/directory.ts';
import { createTestCertificate } from '../../factories/certificates.ts';
import { createAuditLog } from '../../../src/audit/audit-log.ts';
import { createDirectory } from '../../../src/directory/directory.ts';
import { SYSTEM_ACTOR } from '../../../src/directory/service-support.ts';
import type { Tenant, User } from '../../../src/directory/directory.types.ts';
import type { AppRegistration } from '../../../src/directory/apps.types.ts';

export function directoryOf(server: TestServer) {
  // The server's own outbox: directory events (revocations) reach the running server.
  const { database, outbox, logger } = server.platform;
  const audit = createAuditLog({ database, logger });
  const { service } = createDirectory({ database, outbox, audit, logger, hasher: fastHasher });
  const { tenants, users, apps, appCredentials: credentials } = service;

  return {
    tenants,
    users,
    apps,
    credentials,
    async tenant(name = 'Contoso'): Promise<Tenant> {
      const domain = `${name.toLowerCase()}-${randomBytes(3).toString('hex')}.test`;
      return tenants.createTenant({ displayName: name, domain }, SYSTEM_ACTOR);
    },
    async user(tenant: Tenant, name = 'Adele'): Promise<{ user: User; password: string }> {
      const domains = await tenants.listDomains(tenant.id);
      const domain = domains.find((d) => d.isDefault)?.name ?? domains[0]?.name ?? 'missing.test';
      const password = `Pw-${randomBytes(12).toString('base64url')}`;
      const user = await users.createUser(
        tenant.id,
        { userPrincipalName: `${name.toLowerCase()}@${domain}`, displayName: name, password },
        SYSTEM_ACTOR,
      );
      return { user, password };
    },
    async confidentialApp(
      tenant: Tenant,
      consent: { scopes?: string[]; roles?: string[] } = {},
      redirectUris: string[] = ['http://localhost:3000/redirect'],
    ): Promise<{ app: AppRegistration; secret: string }> {
      const app = await apps.createApp(
        tenant.id,
        { displayName: 'Daemon', signInAudience: 'AzureADMyOrg', isPublicClient: false, redirectUris },
        SYSTEM_ACTOR,
      );
      const { secret } = await credentials.addSecret(
        tenant.id,
        app.appId,
        { displayName: 'ci', lifetimeDays: 30 },
        SYSTEM_ACTOR,
      );
      await apps.grantAdminConsent(
        tenant.id,
        app.appId,
        { resource: 'https://graph.microsoft.com', scopes: consent.scopes ?? [], roles: consent.roles ?? [] },
        SYSTEM_ACTOR,
      );
      return { app, secret };
    },
    async publicApp(tenant: Tenant, redirectUris: string[] = ['http://localhost:3000/redirect']) {
      return apps.createApp(
        tenant.id,
        { displayName: 'Desktop', signInAudience: 'AzureADMyOrg', isPublicClient: true, redirectUris },
        SYSTEM_ACTOR,
      );
    },
  };
}

/** A self-signed RSA certificate and key, as an app developer would make for client credentials. */
export async function rsaCertificate(): Promise<{
  certPem: string;
  keyPem: string;
  thumbprintSha256: string;
}> {
  const { certPem, keyPem } = await createTestCertificate({ keyType: 'rsa', commonName: 'daemon' });
  const thumbprintSha256 = new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
  return { certPem, keyPem, thumbprintSha256 };
}
