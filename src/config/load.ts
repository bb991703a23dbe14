/**
 * Builds the Config from the environment and an optional JSON config file
 * (`PARLEY_CONFIG_FILE`, keys as in `docs/configuration.md`). The environment wins over the file.
 * Every problem is collected and reported together, each naming its variable, so an admin fixes a
 * bad deployment in one pass instead of one restart per mistake.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { isIP } from 'node:net';
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import type { Config, RateBudget } from './config.ts';
import { settings, type SettingKey, type SettingSpec, type ProcessRole } from './settings.ts';

export const CONFIG_FILE_ENV = 'PARLEY_CONFIG_FILE';

/** One problem with one setting. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** Thrown when the configuration is invalid; `problems` names every bad variable. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads, coerces and validates every setting. Throws ConfigError listing all problems. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: ConfigProblem[] = [];
  const file = readConfigFile(env, cwd, problems);
  const values = new Map<SettingKey, unknown>();

  for (const key of Object.keys(settings) as SettingKey[]) {
    const spec: SettingSpec = settings[key];
    const fromEnv = env[spec.env];
    let raw: unknown;
    if (fromEnv !== undefined && fromEnv !== '') raw = coerceEnv(spec, fromEnv);
    else if (file !== undefined && key in file) raw = file[key];
    else raw = spec.default;
    if (raw === undefined) {
      values.set(key, undefined);
      continue;
    }
    const message = validate(spec.schema, raw);
    if (message !== undefined)
      problems.push({ variable: spec.env, message: `${message} (got ${show(spec, raw)})` });
    else values.set(key, raw);
  }
  if (file !== undefined) {
    for (const key of Object.keys(file)) {
      if (!(key in settings))
        problems.push({ variable: `${CONFIG_FILE_ENV}:${key}`, message: 'unknown setting' });
    }
  }

  const get = <T>(key: SettingKey): T => values.get(key) as T;
  crossCheck(get, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = resolve(cwd, get<string>('dataDir'));
  const certFile = get<string | undefined>('tlsCertFile');
  const keyFile = get<string | undefined>('tlsKeyFile');
  const databaseUrl = get<string | undefined>('databaseUrl');
  return {
    dataDir,
    host: get('host'),
    port: get('port'),
    httpPort: get('httpPort'),
    publicUrl: get<string | undefined>('publicUrl')?.replace(/\/$/, ''),
    tls:
      certFile !== undefined && keyFile !== undefined
        ? { certFile: resolve(cwd, certFile), keyFile: resolve(cwd, keyFile) }
        : undefined,
    database:
      databaseUrl !== undefined
        ? { kind: 'postgres', url: databaseUrl, poolMax: get('databasePoolMax') }
        : { kind: 'sqlite', file: join(dataDir, 'parley.sqlite') },
    redisUrl: get('redisUrl'),
    roles: get<ProcessRole[]>('roles'),
    logLevel: get('logLevel'),
    trustedProxies: get('trustedProxies'),
    admin: { host: get('adminHost'), port: get('adminPort'), metricsToken: get('metricsToken') },
    http: {
      bodyLimitBytes: get('bodyLimitBytes'),
      headersTimeoutMs: get('headersTimeoutMs'),
      requestTimeoutMs: get('requestTimeoutMs'),
      keepAliveTimeoutMs: get('keepAliveTimeoutMs'),
    },
    shutdownTimeoutMs: get('shutdownTimeoutMs'),
    rateLimits: {
      ip: parseBudget(get('rateLimitIp')),
      subnet: parseBudget(get('rateLimitSubnet')),
      principal: parseBudget(get('rateLimitPrincipal')),
      tenant: parseBudget(get('rateLimitTenant')),
      partner: parseBudget(get('rateLimitPartner')),
      ipv4SubnetPrefix: get('ipv4SubnetPrefix'),
      ipv6SubnetPrefix: get('ipv6SubnetPrefix'),
    },
    secretKey: get('secretKey'),
    identity: {
      bootstrapDomain: get('bootstrapDomain'),
      bootstrapOrganization: get('bootstrapOrganization'),
      accessTokenTtlSec: get('accessTokenTtlSec'),
      refreshTokenTtlSec: get('refreshTokenTtlSec'),
      signingKeyRotationDays: get('signingKeyRotationDays'),
    },
  };
}

/** "600/60s" → { points: 600, durationSec: 60 }; the schema has already checked the shape. */
export function parseBudget(text: string): RateBudget {
  const [points = '0', duration = '0s'] = text.split('/');
  return { points: Number(points), durationSec: Number(duration.slice(0, -1)) };
}

function readConfigFile(
  env: Env,
  cwd: string,
  problems: ConfigProblem[],
): Record<string, unknown> | undefined {
  const path = env[CONFIG_FILE_ENV];
  if (path === undefined || path === '') return undefined;
  const full = isAbsolute(path) ? path : resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    problems.push({
      variable: CONFIG_FILE_ENV,
      message: `cannot read ${full}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    });
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push({ variable: CONFIG_FILE_ENV, message: 'must contain a JSON object' });
      return undefined;
    }
    return parsed as Record<string, unknown>;
  } catch {
    problems.push({ variable: CONFIG_FILE_ENV, message: `${full} is not valid JSON` });
    return undefined;
  }
}

/** Environment variables are strings; turn them into what the schema expects. */
function coerceEnv(spec: SettingSpec, text: string): unknown {
  if (spec.list === true) {
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  const type = typeOf(spec.schema);
  if (type === 'integer' || type === 'number')
    return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function typeOf(schema: TSchema): string | undefined {
  const t = (schema as { type?: unknown }).type;
  return typeof t === 'string' ? t : undefined;
}

/** Validates one value against one setting's schema and returns a readable message, or undefined. */
function validate(schema: TSchema, value: unknown): string | undefined {
  if (Value.Check(schema, value)) return undefined;
  const s = schema as {
    anyOf?: { const?: unknown }[];
    items?: { anyOf?: { const?: unknown }[] };
    minimum?: number;
    maximum?: number;
    pattern?: string;
    minLength?: number;
  };
  const options = s.anyOf ?? s.items?.anyOf;
  if (options !== undefined)
    return `must be ${s.items ? 'a comma-separated list of' : 'one of'}: ${options.map((o) => String(o.const)).join(', ')}`;
  const type = typeOf(schema);
  if (type === 'integer') return `must be an integer from ${s.minimum ?? '-∞'} to ${s.maximum ?? '∞'}`;
  if (type === 'string' && s.pattern !== undefined) return `must match ${s.pattern}`;
  if (type === 'string' && s.minLength !== undefined) return `must be at least ${s.minLength} characters`;
  if (type === 'array' && s.items !== undefined) {
    const items = s.items as { pattern?: string };
    return `must be a comma-separated list of values matching ${items.pattern ?? 'the expected form'}`;
  }
  const first = [...Value.Errors(schema, value)][0];
  return first?.message ?? 'is invalid';
}

/** Rules that involve more than one setting. */
function crossCheck(get: <T>(key: SettingKey) => T, problems: ConfigProblem[]): void {
  const cert = get<string | undefined>('tlsCertFile');
  const key = get<string | undefined>('tlsKeyFile');
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? settings.tlsCertFile.env : settings.tlsKeyFile.env;
    problems.push({
      variable: missing,
      message: `must be set together with ${cert === undefined ? settings.tlsKeyFile.env : settings.tlsCertFile.env}`,
    });
  }
  const adminHost = get<string | undefined>('adminHost');
  const adminPort = get<number | undefined>('adminPort');
  if (
    adminHost !== undefined &&
    adminPort !== -1 &&
    !isLoopback(adminHost) &&
    get('metricsToken') === undefined
  ) {
    problems.push({
      variable: settings.metricsToken.env,
      message: `is required when ${settings.adminHost.env} (${adminHost}) is not a loopback address`,
    });
  }
  for (const proxy of get<string[] | undefined>('trustedProxies') ?? []) {
    if (isIP(proxy.split('/')[0] ?? '') === 0) {
      problems.push({
        variable: settings.trustedProxies.env,
        message: `"${proxy}" is not an IP address or CIDR range`,
      });
    }
  }
  const headers = get<number | undefined>('headersTimeoutMs');
  const request = get<number | undefined>('requestTimeoutMs');
  if (headers !== undefined && request !== undefined && headers > request) {
    // Node refuses a server whose headersTimeout exceeds its requestTimeout.
    problems.push({
      variable: settings.headersTimeoutMs.env,
      message: `must not exceed ${settings.requestTimeoutMs.env} (${request})`,
    });
  }
  const port = get<number | undefined>('port');
  const httpPort = get<number | undefined>('httpPort');
  if (port !== undefined && port !== 0 && port === httpPort) {
    problems.push({ variable: settings.httpPort.env, message: `must differ from ${settings.port.env}` });
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function show(spec: SettingSpec, raw: unknown): string {
  if (spec.secret === true) return '<redacted>';
  return JSON.stringify(raw);
}
