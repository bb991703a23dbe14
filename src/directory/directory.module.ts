/**
 * The directory module: builds the directory once, registers the admin API under
 * `/api/v1/admin`, and on first start creates the first tenant and its administrator and
 * registers Parley's own apps (web client, CLI) for this deployment's origin.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/audit.types.ts';
import type { SecretHasher } from '../identity/credentials/secret-hasher.ts';
import type { ModuleContext } from '../main.ts';
import { createAdminAccess } from './admin/admin-access.ts';
import { registerAppRoutes } from './admin/apps.routes.ts';
import { registerDomainRoutes } from './admin/domains.routes.ts';
import { registerGroupRoutes } from './admin/groups.routes.ts';
import { registerLicenceRoutes } from './admin/licences.routes.ts';
import { registerPolicyRoutes } from './admin/policies.routes.ts';
import { registerUserRoutes } from './admin/users.routes.ts';
import { createDirectory, type Directory } from './directory.ts';

export { createDirectory, type Directory, type DirectoryService, type DirectoryApps } from './directory.ts';

export interface DirectoryModuleOptions {
  readonly audit: AuditLog;
  readonly hasher?: SecretHasher;
}

export function registerDirectoryModule(
  app: FastifyInstance,
  context: ModuleContext,
  options: DirectoryModuleOptions,
): Directory {
  const { config, logger } = context;
  const directory = createDirectory({
    database: context.database,
    outbox: context.outbox,
    audit: options.audit,
    logger,
    ...(options.hasher === undefined ? {} : { hasher: options.hasher }),
  });
  const access = createAdminAccess(directory.reader, options.audit);
  registerUserRoutes(app, directory, access);
  registerGroupRoutes(app, directory, access);
  registerLicenceRoutes(app, directory, access);
  registerPolicyRoutes(app, directory, access);
  registerAppRoutes(app, directory, access);
  registerDomainRoutes(app, directory, access);

  // The public origin is known once the listener is bound; the platform awaits this before serving.
  context.onListening(async () => {
    const origin = context.publicOrigin();
    await directory.bootstrap({ config, print: (text) => context.announce(text), origin });
    await directory.ensureFirstPartyApps(origin);
  });
  return directory;
}
