/**
 * The domain modules and the order they are built in: audit log → directory → sign-in
 * credentials → identity provider and token authenticator → APIs on top. Each gets only the
 * services it uses. On first start, once the listener is bound, the directory creates the first
 * tenant and its administrator and registers Parley's own apps for the public origin.
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from './main.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { registerAuditRoutes } from './audit/audit.routes.ts';
import { createAuditStore } from './audit/audit.store.ts';
import { registerDirectoryModule } from './directory/directory.module.ts';
import { loadInstallationSecret } from './platform/crypto/installation-secret.ts';
import { registerSignIn } from './identity/signin/signin.module.ts';
import { registerGraphModule } from './compat/graph/graph.module.ts';
import { registerIdentityModule } from './identity/identity.module.ts';

export async function registerDomainModules(app: FastifyInstance, context: ModuleContext): Promise<void> {
  const { config, database, logger } = context;
  const secret = await loadInstallationSecret(config.secretKey, config.dataDir);

  const auditStore = createAuditStore(database);
  const audit = createAuditLog({ database, logger, store: auditStore });

  // Admin API, and on first start the first tenant, its administrator and Parley's own apps.
  const directory = registerDirectoryModule(app, context, { audit });

  const signIn = await registerSignIn(app, context, {
    credentials: directory.credentials,
    reader: directory.reader,
    audit,
    secret,
  });

  await registerIdentityModule(app, context, {
    reader: directory.reader,
    apps: directory.apps,
    audit,
    steps: signIn,
    secret,
  });
  registerAuditRoutes(app, { store: auditStore, directory: directory.reader, audit });
  await registerGraphModule(app, { directory: directory.reader, publicOrigin: () => context.publicOrigin() });
}
