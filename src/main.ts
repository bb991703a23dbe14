/**
 * Composition root: configuration → platform → domain modules → listeners. Each domain module
 * receives the platform services it needs and registers its own routes; the identity module also
 * supplies the Authenticator that every non-public route goes through.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.ts';
import type { Authenticator } from './platform/http/access.ts';
import {
  startPlatform,
  type PlatformOptions,
  type PlatformServices,
  type RunningPlatform,
} from './platform/lifecycle/platform.ts';

/**
 * Holds the authenticator the identity module installs while routes are registered: the HTTP
 * app is built before the modules, and no request is served before registration finishes.
 */
class ModuleAuthenticator implements Authenticator {
  #inner: Authenticator | undefined;
  install(inner: Authenticator): void {
    this.#inner = inner;
  }
  authenticate(request: Parameters<Authenticator['authenticate']>[0]) {
    return this.#inner === undefined ? Promise.resolve(undefined) : this.#inner.authenticate(request);
  }
}

/** What modules get at registration: the platform and the slot for the authenticator. */
export interface ModuleContext extends PlatformServices {
  installAuthenticator(authenticator: Authenticator): void;
}

/** Wires every domain module, in dependency order. */
async function registerModules(app: FastifyInstance, context: ModuleContext): Promise<void> {
  const modules: ((app: FastifyInstance, context: ModuleContext) => Promise<void>)[] = [];
  for (const register of modules) await register(app, context);
}

export async function startParley(config: Config, options: PlatformOptions = {}): Promise<RunningPlatform> {
  const authenticator = new ModuleAuthenticator();
  return startPlatform(config, {
    ...options,
    authenticator: options.authenticator ?? authenticator,
    registerRoutes: async (app, services) => {
      await registerModules(app, {
        ...services,
        installAuthenticator: (a) => authenticator.install(a),
      });
      await options.registerRoutes?.(app, services);
    },
  });
}
