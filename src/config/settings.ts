/**
 * Every setting Parley reads, in one table: its environment variable, its schema, its default and
 * what it is for. The loader validates against this table and `docs/configuration.md` is generated
 * from it (`npm run docs:config`), so the two cannot drift apart.
 */
import Type, { type TSchema } from 'typebox';

/** One setting: where it comes from and what values it accepts. */
export interface SettingSpec<S extends TSchema = TSchema> {
  /** Environment variable that sets it; the config file uses the camel-case key. */
  readonly env: string;
  readonly schema: S;
  readonly description: string;
  /** Value used when neither the environment nor the config file sets it. */
  readonly default?: unknown;
  /** Never printed by `parley doctor` or in logs. */
  readonly secret?: boolean;
  /** Environment form is a comma-separated list. */
  readonly list?: boolean;
}

function setting<S extends TSchema>(spec: SettingSpec<S>): SettingSpec<S> {
  return spec;
}

const port = (description: string, def: number) =>
  Type.Integer({ minimum: 0, maximum: 65535, description, default: def });

export const PROCESS_ROLES = ['api', 'realtime', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const settings = {
  dataDir: setting({
    env: 'PARLEY_DATA_DIR',
    schema: Type.String({ minLength: 1 }),
    default: './data',
    description:
      'Directory for the SQLite database, the generated local CA and server certificate. Created on first start with mode 0700.',
  }),
  host: setting({
    env: 'PARLEY_HOST',
    schema: Type.String({ minLength: 1 }),
    default: '127.0.0.1',
    description:
      'Address the HTTPS and HTTP-redirect listeners bind to. Use 0.0.0.0 or :: to serve other machines.',
  }),
  port: setting({
    env: 'PARLEY_PORT',
    schema: port('HTTPS port', 8443),
    default: 8443,
    description: 'HTTPS port. 0 picks a free port (tests).',
  }),
  httpPort: setting({
    env: 'PARLEY_HTTP_PORT',
    schema: Type.Integer({ minimum: -1, maximum: 65535 }),
    default: 8080,
    description:
      'Plain-HTTP port. It only redirects to HTTPS (308) and serves nothing else. -1 turns it off; 0 picks a free port.',
  }),
  publicUrl: setting({
    env: 'PARLEY_PUBLIC_URL',
    schema: Type.Optional(Type.String({ pattern: '^https://[^\\s/?#]+(?::\\d+)?/?$' })),
    description:
      'The https:// origin users reach Parley at (behind a proxy, say). Defaults to https://localhost:<port>. Redirects and links use it.',
  }),
  tlsCertFile: setting({
    env: 'PARLEY_TLS_CERT_FILE',
    schema: Type.Optional(Type.String({ minLength: 1 })),
    description:
      'PEM certificate chain (leaf first) to serve instead of the generated one. Set together with PARLEY_TLS_KEY_FILE.',
  }),
  tlsKeyFile: setting({
    env: 'PARLEY_TLS_KEY_FILE',
    schema: Type.Optional(Type.String({ minLength: 1 })),
    description: 'PEM private key for PARLEY_TLS_CERT_FILE.',
  }),
  databaseUrl: setting({
    env: 'DATABASE_URL',
    schema: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    secret: true,
    description:
      'PostgreSQL connection URL (postgres://user:pass@host:5432/db). When unset Parley uses SQLite in the data directory.',
  }),
  databasePoolMax: setting({
    env: 'PARLEY_DATABASE_POOL_MAX',
    schema: Type.Integer({ minimum: 1, maximum: 500 }),
    default: 10,
    description: 'Maximum PostgreSQL connections per process.',
  }),
  redisUrl: setting({
    env: 'REDIS_URL',
    schema: Type.Optional(Type.String({ pattern: '^rediss?://' })),
    secret: true,
    description:
      'Redis URL. When set, events fan out between processes over Redis pub/sub and rate-limit buckets are shared in Redis (a cluster). When unset both stay in process.',
  }),
  roles: setting({
    env: 'PARLEY_ROLES',
    schema: Type.Array(Type.Union(PROCESS_ROLES.map((r) => Type.Literal(r))), {
      minItems: 1,
      uniqueItems: true,
    }),
    default: [...PROCESS_ROLES],
    list: true,
    description:
      'Process roles this process runs (comma-separated): api (HTTPS API and web client), realtime (WebSockets), worker (outbox relay and background jobs). `parley start --roles` overrides it.',
  }),
  logLevel: setting({
    env: 'PARLEY_LOG_LEVEL',
    schema: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l))),
    default: 'info',
    description: 'pino log level.',
  }),
  trustedProxies: setting({
    env: 'PARLEY_TRUSTED_PROXIES',
    schema: Type.Array(Type.String({ pattern: '^[0-9a-fA-F:.]+(/\\d{1,3})?$' })),
    default: [],
    list: true,
    description:
      'Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. Empty: the header is ignored and the socket address is the client.',
  }),
  adminHost: setting({
    env: 'PARLEY_ADMIN_HOST',
    schema: Type.String({ minLength: 1 }),
    default: '127.0.0.1',
    description:
      'Address of the admin listener (Prometheus /metrics, /healthz, /readyz). Keep it on loopback or a management network.',
  }),
  adminPort: setting({
    env: 'PARLEY_ADMIN_PORT',
    schema: Type.Integer({ minimum: -1, maximum: 65535 }),
    default: 9464,
    description: 'Port of the admin listener. -1 turns it off; 0 picks a free port.',
  }),
  metricsToken: setting({
    env: 'PARLEY_METRICS_TOKEN',
    schema: Type.Optional(Type.String({ minLength: 32 })),
    secret: true,
    description:
      'Bearer token required by /metrics on the admin listener. Required when PARLEY_ADMIN_HOST is not a loopback address.',
  }),
  bodyLimitBytes: setting({
    env: 'PARLEY_BODY_LIMIT_BYTES',
    schema: Type.Integer({ minimum: 1024, maximum: 104857600 }),
    default: 1048576,
    description: 'Largest request body accepted; larger bodies get 413 before they are read.',
  }),
  headersTimeoutMs: setting({
    env: 'PARLEY_HEADERS_TIMEOUT_MS',
    schema: Type.Integer({ minimum: 1000, maximum: 120000 }),
    default: 10000,
    description: 'Time a client has to send the complete request headers (slowloris protection).',
  }),
  requestTimeoutMs: setting({
    env: 'PARLEY_REQUEST_TIMEOUT_MS',
    schema: Type.Integer({ minimum: 1000, maximum: 600000 }),
    default: 30000,
    description: 'Time a client has to send the complete request, body included.',
  }),
  keepAliveTimeoutMs: setting({
    env: 'PARLEY_KEEP_ALIVE_TIMEOUT_MS',
    schema: Type.Integer({ minimum: 1000, maximum: 600000 }),
    default: 5000,
    description: 'Idle time after which a keep-alive connection is closed.',
  }),
  shutdownTimeoutMs: setting({
    env: 'PARLEY_SHUTDOWN_TIMEOUT_MS',
    schema: Type.Integer({ minimum: 100, maximum: 300000 }),
    default: 15000,
    description: 'On SIGTERM/SIGINT, how long in-flight requests and writes may take to finish before exit.',
  }),
  rateLimitIp: setting({
    env: 'PARLEY_RATE_LIMIT_IP',
    schema: Type.String({ pattern: '^\\d+/\\d+s$' }),
    default: '600/60s',
    description: 'Requests per client address, as "<points>/<seconds>s".',
  }),
  rateLimitSubnet: setting({
    env: 'PARLEY_RATE_LIMIT_SUBNET',
    schema: Type.String({ pattern: '^\\d+/\\d+s$' }),
    default: '3000/60s',
    description: 'Requests per client subnet (/24 for IPv4, /64 for IPv6 by default).',
  }),
  rateLimitPrincipal: setting({
    env: 'PARLEY_RATE_LIMIT_PRINCIPAL',
    schema: Type.String({ pattern: '^\\d+/\\d+s$' }),
    default: '1200/60s',
    description: 'Requests per signed-in principal (user, bot or app).',
  }),
  rateLimitTenant: setting({
    env: 'PARLEY_RATE_LIMIT_TENANT',
    schema: Type.String({ pattern: '^\\d+/\\d+s$' }),
    default: '20000/60s',
    description: 'Requests per tenant.',
  }),
  rateLimitPartner: setting({
    env: 'PARLEY_RATE_LIMIT_PARTNER',
    schema: Type.String({ pattern: '^\\d+/\\d+s$' }),
    default: '3000/60s',
    description: 'Requests per federated partner domain (taken from its verified certificate).',
  }),
  ipv4SubnetPrefix: setting({
    env: 'PARLEY_RATE_LIMIT_IPV4_PREFIX',
    schema: Type.Integer({ minimum: 8, maximum: 32 }),
    default: 24,
    description: 'Prefix length that groups IPv4 clients into one subnet bucket.',
  }),
  ipv6SubnetPrefix: setting({
    env: 'PARLEY_RATE_LIMIT_IPV6_PREFIX',
    schema: Type.Integer({ minimum: 32, maximum: 128 }),
    default: 64,
    description: 'Prefix length that groups IPv6 clients into one subnet bucket.',
  }),
  secretKey: setting({
    env: 'PARLEY_SECRET_KEY',
    schema: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/_-]{43,}={0,2}$' })),
    secret: true,
    description:
      'Installation secret (base64, at least 32 bytes) that seals signing keys and MFA secrets at rest and signs sign-in cookies. Every node of a cluster needs the same value. When unset, a random one is created in PARLEY_DATA_DIR/secret.key (mode 0600) on first start.',
  }),
  bootstrapDomain: setting({
    env: 'PARLEY_BOOTSTRAP_DOMAIN',
    schema: Type.String({ pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$' }),
    default: 'parley.localhost',
    description:
      'Domain of the first tenant, created on first start together with its administrator (admin@<domain>).',
  }),
  bootstrapOrganization: setting({
    env: 'PARLEY_BOOTSTRAP_ORGANIZATION',
    schema: Type.String({ minLength: 1, maxLength: 256 }),
    default: 'Parley',
    description: 'Display name of the first tenant.',
  }),
  accessTokenTtlSec: setting({
    env: 'PARLEY_ACCESS_TOKEN_TTL_SEC',
    schema: Type.Integer({ minimum: 60, maximum: 86400 }),
    default: 3600,
    description: 'Lifetime of access tokens, in seconds (Entra issues 60–90 minutes).',
  }),
  refreshTokenTtlSec: setting({
    env: 'PARLEY_REFRESH_TOKEN_TTL_SEC',
    schema: Type.Integer({ minimum: 3600, maximum: 7776000 }),
    default: 1209600,
    description: 'Lifetime of a refresh token family, in seconds. Each use rotates the token; reusing a spent one revokes the family.',
  }),
  signingKeyRotationDays: setting({
    env: 'PARLEY_SIGNING_KEY_ROTATION_DAYS',
    schema: Type.Integer({ minimum: 1, maximum: 365 }),
    default: 30,
    description:
      'How long a token-signing key signs before the next one takes over. The next key is published a day before it starts signing, and the old one stays published until its tokens expire.',
  }),
} as const;

export type Settings = typeof settings;
export type SettingKey = keyof Settings;
