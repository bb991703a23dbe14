/**
 * Assembles the sign-in credentials layer for the composition root: the MFA store with its keys
 * (derived from the installation secret, so every node of a cluster agrees), the throttle (in
 * Redis when configured), the sign-in flow the OpenID provider's interaction routes drive, and
 * the self-service MFA routes.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../audit/audit.types.ts';
import type { DirectoryCredentials, DirectoryReader } from '../../directory/directory.types.ts';
import type { InstallationSecret } from '../../platform/crypto/installation-secret.ts';
import { createSealer } from '../../platform/crypto/sealer.ts';
import type { PlatformServices } from '../../platform/lifecycle/platform.ts';
import { createMfaService } from './mfa.service.ts';
import { registerMfaRoutes } from './mfa.routes.ts';
import { createSignInFlow, type SignInFlow } from './signin-flow.ts';
import { createSignInThrottle, type SignInThrottleSettings } from './signin-throttle.ts';

export interface SignInModuleDeps {
  readonly credentials: DirectoryCredentials;
  readonly reader: DirectoryReader;
  readonly audit: AuditLog;
  readonly secret: InstallationSecret;
  /** Overrides of the throttle's defaults (DEFAULT_SIGN_IN_THROTTLE). */
  readonly throttle?: Partial<SignInThrottleSettings>;
  /** Issuer label in authenticator apps; defaults to `Parley`. */
  readonly totpIssuer?: string;
}

/** Builds the flow, registers `/api/v1/me/authentication/*` and closes the throttle's Redis on stop. */
export async function registerSignIn(
  app: FastifyInstance,
  context: Pick<PlatformServices, 'config' | 'logger' | 'database' | 'onStop'>,
  deps: SignInModuleDeps,
): Promise<SignInFlow> {
  const mfa = createMfaService({
    database: context.database,
    sealer: createSealer(deps.secret.derive('mfa')),
    recoveryCodeKey: deps.secret.derive('mfa-recovery-codes'),
  });
  const throttle = await createSignInThrottle({
    config: context.config,
    logger: context.logger,
    accountKeySecret: deps.secret.derive('signin-throttle'),
    ...(deps.throttle === undefined ? {} : { settings: deps.throttle }),
  });
  context.onStop(() => throttle.close());
  const flow = createSignInFlow({
    credentials: deps.credentials,
    reader: deps.reader,
    mfa,
    throttle,
    audit: deps.audit,
    ...(deps.totpIssuer === undefined ? {} : { totpIssuer: deps.totpIssuer }),
  });
  registerMfaRoutes(app, { management: flow, reader: deps.reader });
  return flow;
}
