/**
 * `parley doctor`: checks what an admin would otherwise find out from an outage: configuration,
 * the certificate (chain, names, expiry), the TLS profile as actually negotiated, the database and
 * its migrations, and Redis.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import { createLogger } from '../platform/logging/logger.ts';
import { openDatabase } from '../platform/db/database.ts';
import { pendingMigrations } from '../platform/db/migrator.ts';
import { intermediateTlsOptions } from '../platform/tls/tls-profile.ts';
import { probeHandshake } from '../platform/tls/tls-probe.ts';
import { tlsDir } from '../platform/tls/server-certificate.ts';
import { configOrReport } from './config-from-env.ts';

type Verdict = 'ok' | 'warn' | 'fail';
interface Check {
  readonly name: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

const MARK: Record<Verdict, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

export async function runDoctor(): Promise<number> {
  const config = configOrReport();
  if (config === undefined) {
    console.log('FAIL configuration  (problems listed above)');
    return 1;
  }
  const checks: Check[] = [
    {
      name: 'configuration',
      verdict: 'ok',
      detail: `roles ${config.roles.join(',')}; database ${config.database.kind}; redis ${config.redisUrl ? 'on' : 'off'}`,
    },
  ];
  checks.push(...(await certificateChecks(config)));
  checks.push(await databaseCheck(config));
  checks.push(await redisCheck(config));
  for (const c of checks) console.log(`${MARK[c.verdict]} ${c.name.padEnd(22)} ${c.detail}`);
  return checks.some((c) => c.verdict === 'fail') ? 1 : 0;
}

async function certificateChecks(config: Config): Promise<Check[]> {
  const certFile = config.tls?.certFile ?? join(tlsDir(config.dataDir), 'server.crt');
  const keyFile = config.tls?.keyFile ?? join(tlsDir(config.dataDir), 'server.key');
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch {
    const generated = config.tls === undefined;
    return [
      {
        name: 'certificate',
        verdict: generated ? 'warn' : 'fail',
        detail: generated
          ? `not generated yet (first start creates it in ${tlsDir(config.dataDir)})`
          : `cannot read ${certFile} or ${keyFile}`,
      },
    ];
  }
  const cert = new X509Certificate(certPem);
  const daysLeft = Math.floor((new Date(cert.validTo).getTime() - Date.now()) / 86_400_000);
  const verdict: Verdict = daysLeft < 0 ? 'fail' : daysLeft < 30 ? 'warn' : 'ok';
  const results: Check[] = [
    {
      name: 'certificate expiry',
      verdict,
      detail: `${cert.subject.replace(/\n/g, ', ')}; expires ${cert.validTo} (${daysLeft} days)`,
    },
  ];
  results.push(await profileCheck(certPem, keyPem));
  return results;
}

/** Serves the certificate with the production TLS options on a loopback port and probes it. */
async function profileCheck(certPem: string, keyPem: string): Promise<Check> {
  const server = createServer({ ...intermediateTlsOptions, cert: certPem, key: keyPem }, (_req, res) =>
    res.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const probe = (o: Parameters<typeof probeHandshake>[0]) => probeHandshake(o);
    const base = { host: '127.0.0.1', port };
    const [tls10, tls11, cbc, tls12, tls13] = await Promise.all([
      probe({ ...base, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' }),
      probe({ ...base, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'ALL:@SECLEVEL=0' }),
      probe({
        ...base,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:AES128-SHA',
      }),
      probe({ ...base, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }),
      probe({ ...base, minVersion: 'TLSv1.3' }),
    ]);
    const good = !tls10.ok && !tls11.ok && !cbc.ok && tls12.ok && tls13.ok;
    return {
      name: 'tls profile',
      verdict: good ? 'ok' : 'fail',
      detail: `TLS1.0 ${tls10.ok ? 'ACCEPTED' : 'refused'}, TLS1.1 ${tls11.ok ? 'ACCEPTED' : 'refused'}, CBC ${cbc.ok ? 'ACCEPTED' : 'refused'}, TLS1.2 ${tls12.cipher ?? 'FAILED'}, TLS1.3 ${tls13.cipher ?? 'FAILED'}`,
    };
  } finally {
    server.close();
  }
}

async function databaseCheck(config: Config): Promise<Check> {
  const logger = createLogger({ level: 'silent' });
  try {
    const database = await openDatabase(config.database, logger);
    try {
      await database.ping();
      const pending = await pendingMigrations(database);
      return {
        name: 'database',
        verdict: pending.length === 0 ? 'ok' : 'warn',
        detail: `${database.engine} reachable; ${pending.length === 0 ? 'migrations up to date' : `${pending.length} pending migration(s): run parley migrate`}`,
      };
    } finally {
      await database.close();
    }
  } catch (err) {
    return {
      name: 'database',
      verdict: 'fail',
      detail: `${config.database.kind}: ${(err as Error).message}`,
    };
  }
}

async function redisCheck(config: Config): Promise<Check> {
  if (config.redisUrl === undefined)
    return { name: 'redis', verdict: 'ok', detail: 'not configured (single-node mode)' };
  const client = new Redis(config.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    return { name: 'redis', verdict: 'ok', detail: `reachable (${pong})` };
  } catch (err) {
    return { name: 'redis', verdict: 'fail', detail: (err as Error).message };
  } finally {
    client.disconnect();
  }
}
