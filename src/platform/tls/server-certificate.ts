/**
 * Finds the certificate the HTTPS listener serves: the admin's own (PARLEY_TLS_CERT_FILE/KEY_FILE),
 * or one issued by the local CA in `<dataDir>/tls/`, created on first start and renewed when it
 * nears expiry or no longer covers the configured host names.
 */
import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { createLocalCa, issueServerCertificate, type PemPair } from './local-ca.ts';

/** Renew a generated certificate this long before it expires. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** The local CA certificate, when the certificate was generated. Clients trust this file. */
  readonly caPem: string | undefined;
  readonly caFile: string | undefined;
  readonly source: 'generated' | 'provided';
  readonly notAfter: Date;
  readonly subjectAltNames: readonly string[];
}

export function tlsDir(dataDir: string): string {
  return join(dataDir, 'tls');
}

/** The names the generated certificate must cover. */
export function certificateHosts(config: Pick<Config, 'host' | 'publicUrl'>): {
  dns: string[];
  ips: string[];
} {
  const dns = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  const add = (name: string) => {
    if (name === '' || name === '0.0.0.0' || name === '::') return;
    if (isIP(name) === 0) dns.add(name.toLowerCase());
    else ips.add(name);
  };
  add(config.host);
  if (config.publicUrl !== undefined) add(new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ''));
  return { dns: [...dns], ips: [...ips] };
}

export async function loadServerCertificate(
  config: Config,
  logger: Logger,
  now = new Date(),
): Promise<ServerCertificate> {
  if (config.tls !== undefined) {
    const [certPem, keyPem] = await Promise.all([
      readFile(config.tls.certFile, 'utf8'),
      readFile(config.tls.keyFile, 'utf8'),
    ]);
    const cert = new X509Certificate(certPem);
    return {
      certPem,
      keyPem,
      caPem: undefined,
      caFile: undefined,
      source: 'provided',
      notAfter: new Date(cert.validTo),
      subjectAltNames: sans(cert),
    };
  }
  const dir = tlsDir(config.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCa(dir, logger, now);
  const hosts = certificateHosts(config);
  let server = await readPair(join(dir, 'server.crt'), join(dir, 'server.key'));
  if (server === undefined || needsRenewal(server, ca, hosts, now)) {
    server = await issueServerCertificate(ca, hosts, now);
    await writePair(join(dir, 'server.crt'), join(dir, 'server.key'), server);
    logger.info({ dns: hosts.dns, ips: hosts.ips }, 'issued a server certificate from the local CA');
  }
  const cert = new X509Certificate(server.certPem);
  return {
    certPem: server.certPem,
    keyPem: server.keyPem,
    caPem: ca.certPem,
    caFile: join(dir, 'ca.crt'),
    source: 'generated',
    notAfter: new Date(cert.validTo),
    subjectAltNames: sans(cert),
  };
}

async function loadOrCreateCa(dir: string, logger: Logger, now: Date): Promise<PemPair> {
  const existing = await readPair(join(dir, 'ca.crt'), join(dir, 'ca.key'));
  if (existing !== undefined) return existing;
  const ca = await createLocalCa('Parley local CA', now);
  await writePair(join(dir, 'ca.crt'), join(dir, 'ca.key'), ca);
  logger.info({ caFile: join(dir, 'ca.crt') }, 'created a local certificate authority');
  return ca;
}

function needsRenewal(
  server: PemPair,
  ca: PemPair,
  hosts: { dns: string[]; ips: string[] },
  now: Date,
): boolean {
  const cert = new X509Certificate(server.certPem);
  if (!cert.checkIssued(new X509Certificate(ca.certPem))) return true;
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return true;
  return (
    hosts.dns.some((d) => cert.checkHost(d, { wildcards: false }) === undefined) ||
    hosts.ips.some((ip) => cert.checkIP(ip) === undefined)
  );
}

async function readPair(certFile: string, keyFile: string): Promise<PemPair | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    return { certPem, keyPem };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes key then certificate through temporary files and renames, so a crash never leaves half a pair. */
async function writePair(certFile: string, keyFile: string, pair: PemPair): Promise<void> {
  await writeFile(`${keyFile}.tmp`, pair.keyPem, { mode: 0o600 });
  await chmod(`${keyFile}.tmp`, 0o600);
  await writeFile(`${certFile}.tmp`, pair.certPem, { mode: 0o644 });
  await rename(`${keyFile}.tmp`, keyFile);
  await rename(`${certFile}.tmp`, certFile);
}

function sans(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
