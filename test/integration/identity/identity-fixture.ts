/**
 * Directory set-up for identity protocol tests, through the directory's own services on the test
 * server's database (as an admin would, via the admin API): a tenant, users with passwords,
 * confidential and public app registrations, secrets, certificates and admin consent.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { TestServer } from '../../harness/server.ts';
import { createAuditLog } from '../../../src/audit/audit-log.ts';
import { createSecretHasher } from '../../../src/identity/credentials/secret-hasher.ts';
import { createTenantService } from '../../../src/directory/tenant.service.ts';
import { createUserService } from '../../../src/directory/user.service.ts';
import { createAppService } from '../../../src/directory/app.service.ts';
import { createAppCredentialService } from '../../../src/directory/app-credentials.service.ts';
import { SYSTEM_ACTOR } from '../../../src/directory/service-support.ts';
import type { Tenant, User } from '../../../src/directory/directory.types.ts';
import type { AppRegistration } from '../../../src/directory/apps.types.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export function directoryOf(server: TestServer) {
  const { database, outbox, logger } = server.platform;
  const deps = {
    database,
    outbox,
    logger,
    audit: createAuditLog({ database, logger }),
    hasher: createSecretHasher({ N: 2 ** 14, r: 8, p: 1 }),
  };
  const tenants = createTenantService(deps);
  const users = createUserService(deps);
  const apps = createAppService(deps);
  const credentials = createAppCredentialService(deps);

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
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=daemon',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 30 * 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  const thumbprintSha256 = Buffer.from(await cert.getThumbprint('SHA-256')).toString('hex');
  return { certPem: cert.toString('pem'), keyPem, thumbprintSha256 };
}
