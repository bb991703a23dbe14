/**
 * One oidc-provider instance per tenant (the issuer is fixed per instance), created on first use
 * and rebuilt when the signing keys change. All instances share the database adapter, the keys and
 * the cookie keys, so any node can continue any sign-in.
 */
import type Provider from 'oidc-provider';
import type { Database } from '../../platform/db/database.ts';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import type { KeySet, SigningKeyStore } from './signing-keys.ts';
import type { OidcDirectory } from './oidc-directory.ts';
import { createTenantProvider } from './provider-factory.ts';
import { installResponseShims } from './response-shims.ts';

/** Other nodes may have rotated keys on demand: look again at least this often. */
const KEY_RECHECK_MS = 60_000;
/** An unknown `kid` triggers a reload at most this often, so random kids cannot hammer the database. */
const UNKNOWN_KID_COOLDOWN_MS = 30_000;

export interface TenantProvidersDeps {
  readonly database: Database;
  readonly config: Config;
  readonly directory: OidcDirectory;
  readonly keys: SigningKeyStore;
  readonly cookieKeys: readonly string[];
  readonly origin: () => string;
  readonly logger: Logger;
}

export class TenantProviders {
  readonly #deps: TenantProvidersDeps;
  readonly #providers = new Map<string, Provider>();
  #keySet: KeySet | undefined;
  #loadedAt = 0;
  #loading: Promise<KeySet> | undefined;
  #lastForcedReload = 0;
  #reloads = 0;

  constructor(deps: TenantProvidersDeps) {
    this.#deps = deps;
  }

  /** The current signing and published keys (reloaded when due). */
  async keys(): Promise<KeySet> {
    const now = Date.now();
    const current = this.#keySet;
    if (current !== undefined && now < current.nextChangeAt && now - this.#loadedAt < KEY_RECHECK_MS)
      return current;
    return this.#reload(now);
  }

  /**
   * The key set once more from the database when a token names a key this node does not know
   * (another node rotated on demand); at most once per cooldown (security plan T14).
   */
  async keysIncluding(kid: string): Promise<KeySet> {
    const set = await this.keys();
    if (set.published.some((k) => k.kid === kid)) return set;
    const now = Date.now();
    if (now - this.#lastForcedReload < UNKNOWN_KID_COOLDOWN_MS) return set;
    this.#lastForcedReload = now;
    return this.#reload(now);
  }

  /** How many times keys were read from the database (for the T14 refetch bound). */
  get reloads(): number {
    return this.#reloads;
  }

  async #reload(now: number): Promise<KeySet> {
    const current = this.#keySet;
    this.#reloads += 1;
    this.#loading ??= this.#deps.keys.load(now).finally(() => {
      this.#loading = undefined;
    });
    const next = await this.#loading;
    if (current === undefined || !sameKeys(current, next)) this.#providers.clear();
    this.#keySet = next;
    this.#loadedAt = now;
    return next;
  }

  async forTenant(tenantId: string): Promise<Provider> {
    const keys = await this.keys();
    let provider = this.#providers.get(tenantId);
    if (provider === undefined) {
      provider = createTenantProvider(tenantId, {
        database: this.#deps.database,
        config: this.#deps.config,
        directory: this.#deps.directory,
        keys,
        cookieKeys: this.#deps.cookieKeys,
        origin: this.#deps.origin(),
      });
      installResponseShims(provider, tenantId);
      provider.on('server_error', (_ctx, err) => {
        this.#deps.logger.error({ err, tenantId }, 'identity provider error');
      });
      this.#providers.set(tenantId, provider);
    }
    return provider;
  }
}

function sameKeys(a: KeySet, b: KeySet): boolean {
  return (
    a.signing.kid === b.signing.kid &&
    a.published.map((k) => k.kid).join() === b.published.map((k) => k.kid).join()
  );
}
