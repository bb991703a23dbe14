/** The one typed configuration object. Nothing else in Parley reads `process.env`. */
import type { ProcessRole } from './settings.ts';

/** A rate-limit budget: `points` requests per `durationSec` seconds. */
export interface RateBudget {
  readonly points: number;
  readonly durationSec: number;
}

export interface Config {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** -1 when the redirect listener is off. */
  readonly httpPort: number;
  readonly publicUrl: string | undefined;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly database:
    | { readonly kind: 'sqlite'; readonly file: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly poolMax: number };
  readonly redisUrl: string | undefined;
  readonly roles: readonly ProcessRole[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly trustedProxies: readonly string[];
  readonly admin: { readonly host: string; readonly port: number; readonly metricsToken: string | undefined };
  readonly http: {
    readonly bodyLimitBytes: number;
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
  };
  readonly shutdownTimeoutMs: number;
  readonly rateLimits: {
    readonly ip: RateBudget;
    readonly subnet: RateBudget;
    readonly principal: RateBudget;
    readonly tenant: RateBudget;
    readonly partner: RateBudget;
    readonly ipv4SubnetPrefix: number;
    readonly ipv6SubnetPrefix: number;
  };
  /** Base64 installation secret; undefined means "use or create data/secret.key". */
  readonly secretKey: string | undefined;
  readonly identity: {
    readonly bootstrapDomain: string;
    readonly bootstrapOrganization: string;
    readonly accessTokenTtlSec: number;
    readonly refreshTokenTtlSec: number;
    readonly signingKeyRotationDays: number;
  };
}
