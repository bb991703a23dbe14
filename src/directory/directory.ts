/**
 * The directory assembled from its services: what the composition root builds once and other
 * modules read (`reader`, `credentials`, `apps`) or call (`service`).
 */
import type { AuditLog } from '../audit/audit.types.ts';
import { createSecretHasher, type SecretHasher } from '../identity/credentials/secret-hasher.ts';
import type { Database } from '../platform/db/database.ts';
import type { Outbox } from '../platform/events/outbox.ts';
import type { Logger } from '../platform/logging/logger.ts';
import { createAccessService, type AccessService } from './access.service.ts';
import { createAppCredentialService, type AppCredentialService } from './app-credentials.service.ts';
import { createAppService, type AppService } from './app.service.ts';
import type { AppDirectory, AppRegistration } from './apps.types.ts';
import { bootstrapDirectory, type BootstrapDeps, type BootstrapResult } from './bootstrap.ts';
import { createDirectoryReader } from './directory.reader.ts';
import type { DirectoryCredentials, DirectoryReader } from './directory.types.ts';
import { ensureFirstPartyApps } from './first-party-apps.ts';
import { createGroupService, type GroupService } from './group.service.ts';
import { createPolicyService, type PolicyService } from './policy.service.ts';
import type { DirectoryDeps } from './service-support.ts';
import { selectFirstTenant } from './tenant.store.ts';
import { createTenantService, type TenantService } from './tenant.service.ts';
import { createUserService, type UserService } from './user.service.ts';

export interface DirectoryService {
  readonly tenants: TenantService;
  readonly users: UserService;
  readonly groups: GroupService;
  /** Licences and admin roles. */
  readonly access: AccessService;
  readonly policies: PolicyService;
  readonly apps: AppService;
  readonly appCredentials: AppCredentialService;
}

/** The app side other modules read: registrations, credentials, consents and resource lookup. */
export interface DirectoryApps extends AppDirectory {
  findAppByResource(resource: string): Promise<AppRegistration | undefined>;
}

export interface Directory {
  readonly reader: DirectoryReader;
  readonly credentials: DirectoryCredentials;
  readonly apps: DirectoryApps;
  readonly service: DirectoryService;
  /** First start: creates the first tenant and its administrator if there is no tenant. */
  bootstrap(options: Pick<BootstrapDeps, 'config' | 'print' | 'origin'>): Promise<BootstrapResult>;
  /** Registers the web client and CLI in the first tenant for this origin (no-op without a tenant). */
  ensureFirstPartyApps(origin: string): Promise<readonly AppRegistration[]>;
}

export interface CreateDirectoryDeps {
  readonly database: Database;
  readonly outbox: Outbox;
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly hasher?: SecretHasher;
  readonly now?: () => number;
}

export function createDirectory(input: CreateDirectoryDeps): Directory {
  const deps: DirectoryDeps = {
    database: input.database,
    outbox: input.outbox,
    audit: input.audit,
    logger: input.logger.child({ module: 'directory' }),
    hasher: input.hasher ?? createSecretHasher(),
    ...(input.now === undefined ? {} : { now: input.now }),
  };
  const service: DirectoryService = {
    tenants: createTenantService(deps),
    users: createUserService(deps),
    groups: createGroupService(deps),
    access: createAccessService(deps),
    policies: createPolicyService(deps),
    apps: createAppService(deps),
    appCredentials: createAppCredentialService(deps),
  };
  const apps: DirectoryApps = {
    getApp: (appId) => service.apps.getApp(appId),
    listApps: (tenantId) => service.apps.listApps(tenantId),
    verifyClientSecret: (appId, secret) => service.appCredentials.verifyClientSecret(appId, secret),
    listCertificates: (appId) => service.appCredentials.listCertificates(appId),
    getConsent: (tenantId, appId, resource) => service.apps.getConsent(tenantId, appId, resource),
    findAppByResource: (resource) => service.apps.findAppByResource(resource),
  };
  return {
    reader: createDirectoryReader(input.database),
    credentials: { checkPassword: (upn, password) => service.users.checkPassword(upn, password) },
    apps,
    service,
    bootstrap: (options) =>
      bootstrapDirectory({
        ...options,
        database: deps.database,
        outbox: deps.outbox,
        logger: deps.logger,
        audit: deps.audit,
        hasher: deps.hasher,
        ...(input.now === undefined ? {} : { now: input.now }),
      }),
    async ensureFirstPartyApps(origin) {
      const first = await selectFirstTenant(deps.database.db);
      return first === undefined ? [] : ensureFirstPartyApps(service.apps, first.id, origin);
    },
  };
}
