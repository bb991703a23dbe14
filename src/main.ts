/**
 * Composition root: configuration → platform → domain modules → listeners. Each domain module
 * receives the platform services it needs and registers its own routes; the identity module also
 * supplies the Authenticator that every non-public route goes through.
 */
import type { Config } from './config/config.ts';
import type { Authenticator } from './platform/http/access.ts';
import {
  startPlatform,
  type PlatformOptions,
  type PlatformServices,
  type RunningPlatform,
} from './platform/lifecycle/platform.ts';
import { registerDomainModules } from './modules.ts';

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
  /** Tells the operator something once (the first administrator's sign-in); never the log. */
  announce(text: string): void;
}

export interface ParleyOptions extends PlatformOptions {
  /** Where operator announcements go (defaults to standard output). */
  readonly announce?: (text: string) => void;
  /**
   * false starts the platform alone (no directory, identity or APIs): for tests that mount one
   * module with stand-ins for its neighbours.
   */
  readonly domainModules?: boolean;
}

export async function startParley(config: Config, options: ParleyOptions = {}): Promise<RunningPlatform> {
  const authenticator = new ModuleAuthenticator();
  const announce = options.announce ?? ((text: string) => void process.stdout.write(`${text}\n`));
  return startPlatform(config, {
    ...options,
    authenticator: options.authenticator ?? authenticator,
    registerRoutes: async (app, services) => {
      if (options.domainModules !== false)
        await registerDomainModules(app, {
          ...services,
          installAuthenticator: (a) => {
            authenticator.install(a);
          },
          announce,
        });
      await options.registerRoutes?.(app, services);
    },
  });
}
