/**
 * Two real Parley processes (`node bin/parley.js start`) sharing one Redis share one rate-limit
 * budget (acceptance, "Limits"). Each process alone would admit every request below; only a shared
 * bucket produces the 429s.
 *
 * The processes use the production key namespace (`parley:rl:`), so this test picks a random
 * loopback source address (and so a random /24) and deletes its keys, to stay independent of
 * parallel runs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { requireRedis } from '../harness/engines.ts';
import { httpsFetch } from '../harness/https-client.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BUDGET = 10;

interface Node {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly caPem: string;
  readonly dataDir: string;
  readonly output: () => string;
}

/** The environment of a fresh `parley start`: the caller's, minus any Parley settings of its own. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PARLEY_') && key !== 'DATABASE_URL' && key !== 'REDIS_URL') env[key] = value;
  }
  return { ...env, ...extra };
}

async function startNode(redisUrl: string): Promise<Node> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-rl-node-'));
  const child = spawn(process.execPath, ['bin/parley.js', 'start'], {
    cwd: ROOT,
    env: childEnv({
      PARLEY_PORT: '0',
      PARLEY_HTTP_PORT: '-1',
      PARLEY_ADMIN_PORT: '-1',
      PARLEY_DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      PARLEY_RATE_LIMIT_IP: `${BUDGET}/60s`,
      PARLEY_LOG_LEVEL: 'info',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout });
  const listening = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "listening" line within 30 s:\n${output}`));
    }, 30_000);
    lines.on('line', (line) => {
      output += `${line}\n`;
      try {
        const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
        if (entry.msg === 'listening' && typeof entry.url === 'string') {
          clearTimeout(timer);
          resolveUrl(entry.url);
        }
      } catch {
        // Not a JSON log line.
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`parley start exited with ${String(code)}:\n${output}`));
    });
  });
  const origin = await listening;
  const caPem = await readFile(join(dataDir, 'tls', 'ca.crt'), 'utf8');
  return { child, origin, caPem, dataDir, output: () => output };
}

async function stopNode(node: Node): Promise<void> {
  if (node.child.exitCode === null && node.child.signalCode === null) {
    const exited = once(node.child, 'exit');
    node.child.kill('SIGTERM');
    const timer = setTimeout(() => node.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  await rm(node.dataDir, { recursive: true, force: true });
}

const redisUrl = await requireRedis();

void describe(
  'two Parley processes sharing Redis',
  { skip: redisUrl === undefined ? 'Redis is not available' : false },
  () => {
    const nodes: Node[] = [];
    const redis = new Redis(redisUrl ?? '', { lazyConnect: true });
    // A random client address outside 127.0.0.0/24, which other loopback tests use.
    const client = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
    const keys = [`parley:rl:ip:${client}`, `parley:rl:subnet:${client.replace(/\.\d+$/, '.0')}/24`];

    before(async () => {
      if (redisUrl === undefined) return;
      await redis.connect();
      await redis.del(...keys);
      nodes.push(...(await Promise.all([startNode(redisUrl), startNode(redisUrl)])));
    });
    after(async () => {
      await Promise.all(nodes.map(stopNode));
      if (redis.status === 'ready') await redis.del(...keys);
      redis.disconnect();
    });

    void it('share one per-client budget', async () => {
      const [a, b] = nodes;
      assert.ok(a !== undefined && b !== undefined);
      assert.notEqual(a.origin, b.origin, 'two listeners');
      const statuses: number[] = [];
      for (let i = 0; i < BUDGET + 6; i++) {
        const node = i % 2 === 0 ? a : b;
        const response = await httpsFetch(node.origin, node.caPem, '/healthz', { localAddress: client });
        statuses.push(response.status);
        if (response.status === 429) assert.ok(Number(response.headers['retry-after']) >= 1);
      }
      // Each process saw only BUDGET / 2 + 3 requests; alone it would have admitted them all.
      assert.equal(statuses.filter((s) => s === 200).length, BUDGET, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 429).length, 6, `statuses: ${statuses.join(',')}`);
      assert.equal(await redis.get(keys[0] ?? ''), String(BUDGET + 6), 'the count lives in Redis');
    });
  },
);
