import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseBudget } from './load.ts';

function problemsOf(env: Record<string, string>, cwd = '/tmp'): { variable: string; message: string }[] {
  try {
    loadConfig(env, cwd);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return [...err.problems];
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('builds the embedded defaults from an empty environment', () => {
    const config = loadConfig({}, '/srv/parley');
    assert.equal(config.dataDir, '/srv/parley/data');
    assert.equal(config.port, 8443);
    assert.equal(config.httpPort, 8080);
    assert.deepEqual(config.database, { kind: 'sqlite', file: '/srv/parley/data/parley.sqlite' });
    assert.deepEqual(config.roles, ['api', 'realtime', 'worker']);
    assert.equal(config.redisUrl, undefined);
    assert.deepEqual(config.rateLimits.ip, { points: 600, durationSec: 60 });
    assert.equal(config.admin.host, '127.0.0.1');
  });

  it('coerces environment strings into typed values', () => {
    const config = loadConfig(
      {
        PARLEY_PORT: '9443',
        PARLEY_ROLES: 'api, worker',
        DATABASE_URL: 'postgres://u@db:5432/parley',
        REDIS_URL: 'redis://cache:6379',
        PARLEY_TRUSTED_PROXIES: '10.0.0.1,192.168.0.0/16',
        PARLEY_RATE_LIMIT_SUBNET: '50/10s',
      },
      '/tmp',
    );
    assert.equal(config.port, 9443);
    assert.deepEqual(config.roles, ['api', 'worker']);
    assert.equal(config.database.kind, 'postgres');
    assert.equal(config.redisUrl, 'redis://cache:6379');
    assert.deepEqual(config.trustedProxies, ['10.0.0.1', '192.168.0.0/16']);
    assert.deepEqual(config.rateLimits.subnet, { points: 50, durationSec: 10 });
  });

  it('lists every bad variable by name in one error', () => {
    const problems = problemsOf({
      PARLEY_PORT: 'https',
      PARLEY_HTTP_PORT: '70000',
      PARLEY_ROLES: 'api,janitor',
      PARLEY_LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      PARLEY_RATE_LIMIT_IP: 'lots',
      PARLEY_TRUSTED_PROXIES: 'not-an-ip',
    });
    const names = problems.map((p) => p.variable).sort();
    assert.deepEqual(names, [
      'DATABASE_URL',
      'PARLEY_HTTP_PORT',
      'PARLEY_LOG_LEVEL',
      'PARLEY_PORT',
      'PARLEY_RATE_LIMIT_IP',
      'PARLEY_ROLES',
      'PARLEY_TRUSTED_PROXIES',
    ]);
    const roles = problems.find((p) => p.variable === 'PARLEY_ROLES');
    assert.match(roles?.message ?? '', /api, realtime, worker/);
  });

  it('never echoes a secret value in a problem', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://admin:hunter2@db/x' });
    assert.equal(problems.length, 1);
    assert.doesNotMatch(problems[0]?.message ?? '', /hunter2/);
  });

  it('requires the certificate and key together', () => {
    const problems = problemsOf({ PARLEY_TLS_CERT_FILE: '/etc/parley/cert.pem' });
    assert.deepEqual(
      problems.map((p) => p.variable),
      ['PARLEY_TLS_KEY_FILE'],
    );
  });

  it('requires a metrics token when the admin listener leaves loopback', () => {
    const problems = problemsOf({ PARLEY_ADMIN_HOST: '0.0.0.0' });
    assert.deepEqual(
      problems.map((p) => p.variable),
      ['PARLEY_METRICS_TOKEN'],
    );
    const config = loadConfig({ PARLEY_ADMIN_HOST: '0.0.0.0', PARLEY_METRICS_TOKEN: 'x'.repeat(40) }, '/tmp');
    assert.equal(config.admin.host, '0.0.0.0');
  });

  it('reads a JSON config file; the environment wins over it; unknown keys are errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-cfg-'));
    const file = join(dir, 'parley.json');
    await writeFile(file, JSON.stringify({ port: 7443, logLevel: 'debug', roles: ['worker'] }));
    const config = loadConfig({ PARLEY_CONFIG_FILE: file, PARLEY_LOG_LEVEL: 'warn' }, dir);
    assert.equal(config.port, 7443);
    assert.equal(config.logLevel, 'warn');
    assert.deepEqual(config.roles, ['worker']);

    await writeFile(file, JSON.stringify({ port: 'x', colour: 'blue' }));
    const problems = problemsOf({ PARLEY_CONFIG_FILE: file }, dir);
    assert.deepEqual(problems.map((p) => p.variable).sort(), ['PARLEY_CONFIG_FILE:colour', 'PARLEY_PORT']);

    await writeFile(file, '{ not json');
    assert.deepEqual(
      problemsOf({ PARLEY_CONFIG_FILE: file }, dir).map((p) => p.variable),
      ['PARLEY_CONFIG_FILE'],
    );
    assert.deepEqual(
      problemsOf({ PARLEY_CONFIG_FILE: join(dir, 'missing.json') }, dir).map((p) => p.variable),
      ['PARLEY_CONFIG_FILE'],
    );
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    const problems = problemsOf({ PARLEY_HEADERS_TIMEOUT_MS: '60000', PARLEY_REQUEST_TIMEOUT_MS: '30000' });
    assert.deepEqual(
      problems.map((p) => p.variable),
      ['PARLEY_HEADERS_TIMEOUT_MS'],
    );
  });

  it('parses rate budgets', () => {
    assert.deepEqual(parseBudget('5/1s'), { points: 5, durationSec: 1 });
  });
});
