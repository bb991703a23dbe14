/** The `parley` command as an admin runs it: start, migrate, doctor, and a bad configuration. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runParley, spawnParley } from '../harness/process.ts';
import { httpsFetch } from '../harness/https-client.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'parley-cli-'));
}

describe('parley CLI', () => {
  it('start with a bad configuration exits non-zero and names every bad variable', async () => {
    const result = await runParley(['start'], {
      PARLEY_PORT: 'eighty',
      PARLEY_ROLES: 'api,cron',
      REDIS_URL: 'http://nope',
      PARLEY_LOG_LEVEL: 'chatty',
    });
    assert.equal(result.code, 2);
    for (const name of ['PARLEY_PORT', 'PARLEY_ROLES', 'REDIS_URL', 'PARLEY_LOG_LEVEL'])
      assert.match(result.stderr, new RegExp(`${name}:`));
    assert.match(result.stderr, /4 problems/);
  });

  it('start on an empty data directory creates a CA, serves HTTPS, and stops cleanly on SIGTERM', async () => {
    const dataDir = await tempDir();
    const parley = spawnParley(['start'], {
      PARLEY_DATA_DIR: dataDir,
      PARLEY_PORT: '0',
      PARLEY_HTTP_PORT: '-1',
      PARLEY_ADMIN_PORT: '-1',
    });
    try {
      const listening = await parley.waitFor((l) => l['msg'] === 'listening');
      const url = String(listening['url']);
      assert.match(url, /^https:\/\/localhost:\d+$/);
      const ca = await readFile(join(dataDir, 'tls', 'ca.crt'), 'utf8');
      const health = await httpsFetch(url, ca, '/healthz');
      assert.equal(health.status, 200);
      const ready = await httpsFetch(url, ca, '/readyz');
      assert.deepEqual(ready.json(), { status: 'ready', checks: { database: 'ok', redis: 'disabled' } });
      assert.match(parley.stderr(), /Parley is running at https:\/\/localhost:\d+\//);
      assert.match(parley.stderr(), /ca\.crt/);
      assert.equal(await parley.stop('SIGTERM'), 0);
      assert.ok(parley.lines.some((l) => l['msg'] === 'stopped'));
    } finally {
      await parley.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('migrate applies the migrations once and then reports the database up to date', async () => {
    const dataDir = await tempDir();
    try {
      const first = await runParley(['migrate'], { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'silent' });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Applied \d+ migration\(s\): 0001_platform/);
      const second = await runParley(['migrate'], { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'silent' });
      assert.equal(second.code, 0);
      assert.match(second.stdout, /up to date/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('doctor checks configuration, certificate, TLS profile, database and Redis', async () => {
    const dataDir = await tempDir();
    try {
      const before = await runParley(['doctor'], { PARLEY_DATA_DIR: dataDir });
      assert.match(before.stdout, /WARN certificate\s+not generated yet/);
      await runParley(['migrate'], { PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'silent' });
      const parley = spawnParley(['start'], {
        PARLEY_DATA_DIR: dataDir,
        PARLEY_PORT: '0',
        PARLEY_HTTP_PORT: '-1',
        PARLEY_ADMIN_PORT: '-1',
      });
      await parley.waitFor((l) => l['msg'] === 'listening');
      assert.equal(await parley.stop(), 0);

      const after = await runParley(['doctor'], {
        PARLEY_DATA_DIR: dataDir,
        REDIS_URL: 'redis://127.0.0.1:6379',
      });
      assert.equal(after.code, 0, after.stdout + after.stderr);
      assert.match(after.stdout, /ok\s+certificate expiry\s+CN=localhost.*\((39[0-7]) days\)/);
      assert.match(
        after.stdout,
        /ok\s+tls profile\s+TLS1\.0 refused, TLS1\.1 refused, CBC refused, TLS1\.2 ECDHE-ECDSA-\S+, TLS1\.3 TLS_\S+/,
      );
      assert.match(after.stdout, /ok\s+database\s+sqlite reachable; migrations up to date/);
      assert.match(after.stdout, /ok\s+redis\s+reachable \(PONG\)/);

      const broken = await runParley(['doctor'], {
        PARLEY_DATA_DIR: dataDir,
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      assert.equal(broken.code, 1);
      assert.match(broken.stdout, /FAIL redis/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
