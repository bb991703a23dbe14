/**
 * An authenticated-shaped no-op request (`GET /api/v1/status` with a bearer token) through the full
 * Parley stack, against a bare Fastify 5 route and a bare `node:https` handler serving the same
 * JSON with the same certificate and TLS profile, all measured in this one run.
 *
 * Process layout: every server runs in its own child process and this process only generates load
 * (autocannon on its main thread; nothing else runs here during a measurement). That keeps the
 * load generator's event loop apart from the server's, as a worker thread would, and also gives
 * each server its own V8 heap and GC, like a deployment. Targets are measured one after another,
 * so on a small machine they never compete with each other for CPU.
 *
 * Parley starts through its real CLI (`parley start`) with the defaults of a single node (SQLite,
 * in-memory rate limits, all roles), JSON logs at info written to a file, and the rate limits
 * raised far above what the load can reach so that every request does the limiter's work but none
 * is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, Measurement } from './lib/benchmark.ts';
import { startChildServer, type ChildServer } from './lib/child-server.ts';
import { measure, type LoadSettings, type LoadTarget } from './lib/load.ts';
import { preflight } from './lib/preflight.ts';

const ROOT = join(import.meta.dirname, '..');
const PATH = '/api/v1/status';

function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const settings: LoadSettings = {
  connections: intFromEnv('BENCH_CONNECTIONS', 50),
  durationSec: intFromEnv('BENCH_DURATION_SEC', 10),
  warmupSec: intFromEnv('BENCH_WARMUP_SEC', 2),
  pipelining: 1,
};

/** Environment for the Parley child: the caller's, minus anything that would change the stack. */
function parleyEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PARLEY_') && key !== 'DATABASE_URL' && key !== 'REDIS_URL') env[key] = value;
  }
  const unreachable = '1000000000/60s';
  return {
    ...env,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: '0',
    PARLEY_HTTP_PORT: '-1',
    PARLEY_ADMIN_PORT: '-1',
    PARLEY_LOG_LEVEL: 'info',
    PARLEY_RATE_LIMIT_IP: unreachable,
    PARLEY_RATE_LIMIT_SUBNET: unreachable,
    PARLEY_RATE_LIMIT_PRINCIPAL: unreachable,
    PARLEY_RATE_LIMIT_TENANT: unreachable,
  };
}

async function measureChild(
  start: () => Promise<ChildServer>,
  target: (port: number) => LoadTarget,
): Promise<Measurement> {
  const server = await start();
  try {
    const t = target(server.port);
    await preflight(t);
    process.stdout.write(`  measuring ${t.label} (${t.url}) …\n`);
    return await measure(t, settings);
  } finally {
    await server.stop();
  }
}

const bench: Benchmark = {
  description: 'no-op authenticated-shaped GET through full Parley vs bare Fastify vs bare node:https',
  async run() {
    // Other work on the machine skews every row; the load average at start says how quiet it was.
    const loadAtStart = loadavg()[0] ?? 0;
    const work = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    const dataDir = join(work, 'data');
    const logFile = join(work, 'parley.log');
    const headers = {
      authorization: `Bearer ${randomBytes(32).toString('base64url')}`,
      accept: 'application/json',
    };
    const logFd = openSync(logFile, 'w');
    try {
      let caPem = '';
      const target =
        (label: string) =>
        (port: number): LoadTarget => ({
          label,
          url: `https://127.0.0.1:${String(port)}${PATH}`,
          headers,
          caPem,
          servername: 'localhost',
        });

      const subject = await measureChild(async () => {
        const server = await startChildServer({
          args: [join(ROOT, 'bin', 'parley.js'), 'start'],
          env: parleyEnv(dataDir),
          stdout: logFd,
          announce: { stream: 'stderr', pattern: /running at https:\/\/[^\s/]+:(\d+)/ },
        });
        caPem = readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8');
        const parleyHeaders = await preflight(target('Parley')(server.port));
        // Refuse to measure anything but the hardened stack.
        for (const h of ['strict-transport-security', 'content-security-policy', 'x-content-type-options']) {
          if (parleyHeaders[h] === undefined) {
            await server.stop();
            throw new Error(`Parley's response lacks ${h}: not the full stack`);
          }
        }
        return server;
      }, target('Parley (full stack)'));

      const baselineEnv = {
        ...process.env,
        BENCH_CERT_FILE: join(dataDir, 'tls', 'server.crt'),
        BENCH_KEY_FILE: join(dataDir, 'tls', 'server.key'),
      };
      const baseline = (script: string) => () =>
        startChildServer({
          args: [join(import.meta.dirname, 'targets', script)],
          env: baselineEnv,
          stdout: 'pipe',
          announce: { stream: 'stdout', pattern: /"port":(\d+)/ },
        });
      const fastify = await measureChild(baseline('bare-fastify.ts'), target('bare Fastify 5 route'));
      const https = await measureChild(baseline('bare-https.ts'), target('bare node:https handler'));

      const cpu = cpus();
      const log = statSync(logFile);
      return {
        title: `http: GET ${PATH} with a bearer token over HTTPS`,
        subject,
        baselines: [fastify, https],
        notes: [
          `autocannon: ${String(settings.connections)} connections, pipelining ${String(settings.pipelining)}, ` +
            `${String(settings.warmupSec)} s warm-up then ${String(settings.durationSec)} s measured per target; keep-alive TLS 1.3`,
          `Parley: \`parley start\`, SQLite, in-memory rate limits (raised), info logs to a file ` +
            `(${(log.size / 1_048_576).toFixed(1)} MiB written), HSTS/CSP verified on the response`,
          `machine: ${String(cpu.length)} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ` +
            `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load generator and server share the CPUs, ` +
            `1-min load average at start ${loadAtStart.toFixed(2)}`,
        ],
      };
    } finally {
      closeSync(logFd);
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default bench;
