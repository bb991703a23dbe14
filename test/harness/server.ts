/**
 * Starts a complete Parley server in this process on port 0 with a fresh data directory and a
 * fresh database (SQLite by default, or PostgreSQL), exactly as `parley start` would, and gives the
 * test what it needs to talk to it: origin, ports, the CA to verify against, and the log lines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config/config.ts';
import { loadConfig } from '../../src/config/load.ts';
import { startParley } from '../../src/main.ts';
import type { Authenticator } from '../../src/platform/http/access.ts';
import type { PlatformServices, RunningPlatform } from '../../src/platform/lifecycle/platform.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { freshDatabaseConfig, requirePostgres } from './engines.ts';
import { httpsFetch, type TestRequest, type TestResponse } from './https-client.ts';

export interface TestServerOptions {
  /** PARLEY_* / REDIS_URL settings, as an admin would set them. */
  readonly env?: Record<string, string>;
  readonly engine?: Engine;
  readonly authenticator?: Authenticator;
  readonly registerRoutes?: (app: FastifyInstance, platform: PlatformServices) => Promise<void>;
  /** false: the platform only, for tests that mount one module themselves. */
  readonly domainModules?: boolean;
}

export interface TestServer {
  readonly origin: string;
  readonly port: number;
  readonly httpPort: number;
  readonly adminPort: number;
  readonly caPem: string;
  readonly dataDir: string;
  readonly config: Config;
  readonly platform: RunningPlatform;
  /** Every log line written so far, parsed. */
  logs(): Record<string, unknown>[];
  /** Raw log text, for greps such as "no secret ever appears". */
  rawLogs(): string;
  /** What the server told the operator (the first administrator's sign-in on first start). */
  announcements(): readonly string[];
  fetch(path: string, init?: TestRequest): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-srv-'));
  const engine = options.engine ?? 'sqlite';
  const cleanups: (() => Promise<void>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const env: Record<string, string> = {
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PORT: '0',
    PARLEY_HTTP_PORT: '0',
    PARLEY_ADMIN_PORT: '0',
    PARLEY_LOG_LEVEL: 'info',
    ...options.env,
  };
  if (engine === 'postgres') {
    if ((await requirePostgres()) === undefined) throw new Error('PostgreSQL is not available for this test');
    const db = await freshDatabaseConfig('postgres');
    cleanups.push(() => db.cleanup());
    if (db.config.kind === 'postgres') env.DATABASE_URL = db.config.url;
  }
  // Only what the test sets: the developer's own environment must not leak into the server.
  const config = loadConfig(env, dataDir);
  let raw = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString('utf8');
      done();
    },
  });
  const announced: string[] = [];
  const platform = await startParley(config, {
    logDestination: sink,
    announce: (text) => announced.push(text),
    ...(options.domainModules === false ? { domainModules: false } : {}),
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    ...(options.registerRoutes ? { registerRoutes: options.registerRoutes } : {}),
  });
  const caPem = platform.certificate.caPem;
  if (platform.origin === undefined || caPem === undefined) {
    await platform.stop('test');
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw new Error('test server has no HTTPS listener');
  }
  const origin = platform.origin;
  let closed = false;
  return {
    origin,
    port: platform.ports.https ?? 0,
    httpPort: platform.ports.http ?? -1,
    adminPort: platform.ports.admin ?? -1,
    caPem,
    dataDir,
    config,
    platform,
    rawLogs: () => raw,
    announcements: () => announced,
    logs: () =>
      raw
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    fetch: (path, init) => httpsFetch(origin, caPem, path, init),
    async close() {
      if (closed) return;
      closed = true;
      await platform.stop('test');
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}
