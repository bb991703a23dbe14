/**
 * The identity module: the Entra-shaped OpenID provider (per-tenant issuers, sign-in interaction
 * API) and the bearer-token authenticator every protected route goes through. Built on the
 * directory (accounts, app registrations) and the sign-in credentials layer.
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../main.ts';
import type { DirectoryReader } from '../directory/directory.types.ts';
import type { DirectoryApps } from '../directory/directory.ts';
import type { AuditLog } from '../audit/audit.types.ts';
import { DIRECTORY_TOPICS, type SessionsRevokedEvent } from '../directory/directory.events.ts';
import type { InstallationSecret } from '../platform/crypto/installation-secret.ts';
import { createSealer } from '../platform/crypto/sealer.ts';
import { SigningKeyStore } from './oidc/signing-keys.ts';
import { TenantProviders } from './oidc/tenant-providers.ts';
import { registerOidcRoutes } from './oidc/oidc.routes.ts';
import { registerInteractionRoutes } from './oidc/interaction.routes.ts';
import type { SignInSteps } from './oidc/sign-in-steps.ts';
import { purgeExpiredArtifacts } from './oidc/oidc-adapter.ts';
import { TokenAuthenticator } from './auth/token-authenticator.ts';
import { oidcDirectory } from './oidc-directory-adapter.ts';

const DAY_MS = 86_400_000;
const PURGE_INTERVAL_MS = 10 * 60_000;

export interface IdentityDeps {
  readonly reader: DirectoryReader;
  readonly apps: DirectoryApps;
  readonly audit: AuditLog;
  readonly steps: SignInSteps;
  /** Seals the signing keys and signs the provider's cookies. */
  readonly secret: InstallationSecret;
}

export interface IdentityModule {
  readonly authenticator: TokenAuthenticator;
  readonly providers: TenantProviders;
}

export async function registerIdentityModule(
  app: FastifyInstance,
  context: ModuleContext,
  deps: IdentityDeps,
): Promise<IdentityModule> {
  const { config, database, logger } = context;
  const { secret } = deps;
  const keys = new SigningKeyStore(database, createSealer(secret.derive('signing-keys')), {
    purpose: 'tokens',
    rotationMs: config.identity.signingKeyRotationDays * DAY_MS,
    // Access and ID tokens are the only signed artefacts; refresh tokens are opaque and stored.
    tokenLifetimeMs: Math.max(config.identity.accessTokenTtlSec, 3600) * 1000 + DAY_MS,
  });
  const directory = oidcDirectory(deps.reader, deps.apps);
  const providers = new TenantProviders({
    database,
    config,
    directory,
    keys,
    cookieKeys: [secret.derive('oidc-cookies').toString('base64url')],
    origin: () => context.publicOrigin(),
    logger,
  });
  await registerOidcRoutes(app, {
    providers,
    reader: deps.reader,
    database,
    origin: () => context.publicOrigin(),
    homeTenantOfClient: async (clientId) => (await deps.apps.getApp(clientId))?.tenantId,
  });
  registerInteractionRoutes(app, {
    providers,
    database,
    reader: deps.reader,
    directory,
    steps: deps.steps,
    origin: () => context.publicOrigin(),
  });

  const authenticator = new TokenAuthenticator({
    providers,
    reader: deps.reader,
    database,
    origin: () => context.publicOrigin(),
    audit: deps.audit,
    appExists: async (appId) => (await deps.apps.getApp(appId)) !== undefined,
  });
  context.installAuthenticator(authenticator);
  const unsubscribe = context.bus.subscribe(DIRECTORY_TOPICS.sessionsRevoked, (event) => {
    const payload = event.payload as SessionsRevokedEvent;
    authenticator.forgetUser(payload.tenantId, payload.userId);
  });

  const purge = setInterval(() => {
    purgeExpiredArtifacts(database).catch((err: unknown) =>
      logger.warn({ err }, 'purging expired sign-in data failed'),
    );
  }, PURGE_INTERVAL_MS);
  purge.unref();
  context.onStop(() => {
    clearInterval(purge);
    unsubscribe();
    return Promise.resolve();
  });
  return { authenticator, providers };
}
