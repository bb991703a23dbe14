/**
 * Self-signed client certificates for app-credential tests (`private_key_jwt`): RSA, EC or
 * Ed25519 keys, with chosen validity. Returns the certificate PEM and the private key (as a
 * CryptoKey and PKCS#8 PEM) so tests can sign client assertions with it.
 */
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const DAY_MS = 86_400_000;

export type CertificateKeyType = 'rsa' | 'ec' | 'ed25519';

const ALGORITHMS = {
  rsa: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  ec: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  ed25519: { name: 'Ed25519' },
} as const;

export interface TestCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly privateKey: webcrypto.CryptoKey;
}

export async function createTestCertificate(
  options: {
    keyType?: CertificateKeyType;
    notBefore?: Date;
    notAfter?: Date;
    commonName?: string;
    rsaBits?: number;
  } = {},
): Promise<TestCertificate> {
  const keyType = options.keyType ?? 'rsa';
  const algorithm =
    keyType === 'rsa' ? { ...ALGORITHMS.rsa, modulusLength: options.rsaBits ?? 2048 } : ALGORITHMS[keyType];
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=${options.commonName ?? 'test client'}`,
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY_MS),
    signingAlgorithm: algorithm,
    keys,
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return {
    certPem: `${cert.toString('pem')}\n`,
    keyPem: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`,
    privateKey: keys.privateKey,
  };
}
