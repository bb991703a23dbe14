/**
 * Starts and stops one Parley process: certificate, database and migrations, event bus and outbox,
 * rate limits, then the listeners its roles need. `stop()` is the graceful shutdown: readiness goes
 * false, listeners stop accepting, in-flight requests and their writes finish, queued events are
 * published, then connections close — bounded by `shutdownTimeoutMs`.
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { createAdminServer } from '../metrics/admin-server.ts';
import { loadServerCertificate, type ServerCertificate } from '../tls/server-certificate.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { ALL_TOPICS, type EventBus } from '../events/event-bus.ts';
import { MemoryEventBus } from '../events/memory-bus.ts';
import { RedisEventBus } from '../events/redis-bus.ts';
import { Outbox } from '../events/outbox.ts';
import { OutboxRelay } from '../events/outbox-relay.ts';
import { createRateLimits, type RateLimits } from '../ratelimit/rate-limits.ts';
import { buildHttpApp, type RouteEntry } from '../http/app.ts';
import { noAuthenticator, type Authenticator } from '../http/access.ts';
import type { CheckState, ReadinessProbe } from '../http/health.routes.ts';
import { createRedirectServer } from '../http/redirect-server.ts';
import { PARLEY_VERSION } from './version.ts';

export interface PlatformOptions {
  /** Where log lines go (defaults to stdout). */
  readonly logDestination?: NodeJS.WritableStream;
  readonly authenticator?: Authenticator;
  /** Domain modules register their routes through this. */
  readonly registerRoutes?: (app: FastifyInstance, platform: PlatformServices) => Promise<void>;
  readonly webDist?: string;
}

/** What domain modules are given. */
export interface PlatformServices {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly bus: EventBus;
  readonly outbox: Outbox;
  readonly limits: RateLimits;
  readonly metrics: Metrics;
  readonly nodeId: string;
  /**
   * The HTTPS origin users reach (PARLEY_PUBLIC_URL, or https://localhost:<port>). Known once the
   * listener is bound, so call it while serving requests, not while registering routes.
   */
  publicOrigin(): string;
  /** Registers work to run on shutdown (timers, connections); runs before the database closes. */
  onStop(task: () => Promise<void>): void;
  /** Registers work to run once the HTTPS listener is bound (when the public origin is known). */
  onListening(task: () => Promise<void>): void;
}

export interface RunningPlatform extends PlatformServices {
  readonly certificate: ServerCertificate;
  /** The HTTPS origin users reach, or undefined when this process runs no HTTP role. */
  readonly origin: string | undefined;
  readonly ports: { readonly https?: number; readonly http?: number; readonly admin?: number };
  /** Every HTTPS route and whether it is on the public list. */
  readonly routes: readonly RouteEntry[];
  stop(reason?: string): Promise<void>;
}

export async function startPlatform(config: Config, options: PlatformOptions = {}): Promise<RunningPlatform> {
  const logger = createLogger({
    level: config.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const cleanup: (() => Promise<void>)[] = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    const certificate = await loadServerCertificate(config, logger);
    const metrics = createMetrics();

    const database = await openDatabase(config.database, logger);
    cleanup.push(() => database.close());
    await migrateToLatest(database, logger);

    // Readiness pings Redis through the bus's own connection rather than a connection of its own.
    let redis: RedisEventBus | undefined;
    let bus: EventBus;
    if (config.redisUrl !== undefined) {
      const redisBus = new RedisEventBus({ url: config.redisUrl, logger });
      // Closed by the cleanup below if Redis never answers, so its connections stop retrying.
      cleanup.push(() => redisBus.close());
      await withTimeout(
        redisBus.ready(),
        REDIS_CONNECT_TIMEOUT_MS,
        'Redis (REDIS_URL) did not answer within 10 s',
      );
      bus = redisBus;
      redis = redisBus;
    } else {
      const memoryBus = new MemoryEventBus({ logger });
      bus = memoryBus;
      cleanup.push(() => memoryBus.close());
    }

    const outbox = new Outbox(database, bus, logger, nodeId);
    bus.subscribe(ALL_TOPICS, () => {
      metrics.eventsReceived.inc();
    });
    const limits = await createRateLimits(config, logger);
    cleanup.push(() => limits.close());

    let relay: OutboxRelay | undefined;
    if (config.roles.includes('worker')) {
      relay = new OutboxRelay(outbox, logger);
      relay.start();
    }

    let accepting = true;
    const readiness: ReadinessProbe = {
      accepting: () => accepting,
      async checks() {
        const result: Record<string, CheckState> = {};
        result.database = await database.ping().then(
          () => 'ok' as const,
          () => 'failing' as const,
        );
        // Bounded: a ping queued on a connection that is down must not hold the probe open.
        result.redis =
          redis === undefined
            ? 'disabled'
            : await withTimeout(redis.ping(), READINESS_PING_TIMEOUT_MS, 'redis ping timed out').then(
                () => 'ok' as const,
                () => 'failing' as const,
              );
        return result;
      },
    };
    let origin: string | undefined;
    const moduleStopTasks: (() => Promise<void>)[] = [];
    const listeningTasks: (() => Promise<void>)[] = [];
    const services: PlatformServices = {
      config,
      logger,
      database,
      bus,
      outbox,
      limits,
      metrics,
      nodeId,
      publicOrigin() {
        if (origin === undefined) throw new Error('the HTTPS listener is not bound yet');
        return origin;
      },
      onStop(task) {
        moduleStopTasks.push(task);
        cleanup.push(task);
      },
      onListening(task) {
        listeningTasks.push(task);
      },
    };

    const ports: { https?: number; http?: number; admin?: number } = {};
    let app: FastifyInstance | undefined;
    const routes: RouteEntry[] = [];
    let redirect: HttpServer | undefined;
    if (config.roles.includes('api') || config.roles.includes('realtime')) {
      const built = await buildHttpApp({
        config,
        logger,
        certPem: certificate.certPem,
        keyPem: certificate.keyPem,
        metrics,
        limits,
        authenticator: options.authenticator ?? noAuthenticator,
        readiness,
        version: PARLEY_VERSION,
        ...(options.registerRoutes
          ? {
              registerRoutes: (a: FastifyInstance) =>
                options.registerRoutes?.(a, services) ?? Promise.resolve(),
            }
          : {}),
        ...(options.webDist !== undefined ? { webDist: options.webDist } : {}),
      });
      app = built.app;
      routes.push(...built.routes);
      const httpsApp = app;
      cleanup.push(() => httpsApp.close());
      await app.listen({ host: config.host, port: config.port });
      ports.https = (app.server.address() as AddressInfo).port;
      origin = config.publicUrl ?? `https://localhost:${ports.https}`;
      for (const task of listeningTasks) await task();
      if (config.httpPort !== -1) {
        const server = createRedirectServer(origin, config.http.headersTimeoutMs);
        redirect = server;
        ports.http = await listen(server, config.host, config.httpPort);
        cleanup.push(() => closeServer(server));
      }
    }
    let admin: HttpsServer | undefined;
    if (config.admin.port !== -1) {
      const server = createAdminServer({
        certPem: certificate.certPem,
        keyPem: certificate.keyPem,
        metrics,
        readiness,
        metricsToken: config.admin.metricsToken,
      });
      admin = server;
      ports.admin = await listen(server, config.admin.host, config.admin.port);
      cleanup.push(() => closeServer(server));
    }
    logger.info(
      {
        url: origin,
        ports,
        roles: config.roles,
        database: database.engine,
        cluster: redis !== undefined,
        nodeId,
      },
      'listening',
    );

    let stopping: Promise<void> | undefined;
    const stop = (reason = 'stop'): Promise<void> => {
      stopping ??= (async () => {
        accepting = false;
        logger.info({ reason }, 'shutting down: draining connections');
        const deadline = setTimeout(() => {
          logger.warn(
            { timeoutMs: config.shutdownTimeoutMs },
            'shutdown timeout: closing remaining connections',
          );
          app?.server.closeAllConnections();
          redirect?.closeAllConnections();
          admin?.closeAllConnections();
        }, config.shutdownTimeoutMs);
        deadline.unref();
        try {
          if (redirect !== undefined) await closeServer(redirect);
          // Waits for in-flight requests (and so their database writes) to finish.
          if (app !== undefined) await app.close();
          for (const task of moduleStopTasks.reverse())
            await task().catch((err: unknown) => logger.warn({ err }, 'module stop task failed'));
          await relay?.stop();
          await outbox.idle();
          await outbox.drain().catch((err: unknown) => logger.warn({ err }, 'final outbox drain failed'));
          if (admin !== undefined) await closeServer(admin);
          await limits.close();
          await bus.close();
          await database.close();
        } finally {
          clearTimeout(deadline);
          logger.info('stopped');
          logger.flush();
        }
      })();
      return stopping;
    };
    return { ...services, certificate, origin, ports, routes, stop };
  } catch (err) {
    await undo();
    throw err;
  }
}

const REDIS_CONNECT_TIMEOUT_MS = 10_000;
const READINESS_PING_TIMEOUT_MS = 2_000;

/** Fails start-up clearly instead of waiting forever on a dependency that never answers. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(message));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

function listen(server: HttpServer | HttpsServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: HttpServer | HttpsServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeIdleConnections();
  });
}
