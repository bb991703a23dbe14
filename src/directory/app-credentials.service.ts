/**
 * Client credentials of confidential apps: secrets (shown once, stored as scrypt hashes with a
 * three-character hint) and certificates for `private_key_jwt` (RFC 7523 §2.2), identified by
 * their SHA-1 and SHA-256 thumbprints as `x5t` and `x5t#S256` (RFC 7515 §4.1.7–8).
 */
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { conflict, invalidRequest, notFound } from '../platform/errors/app-error.ts';
import type { AppCertificate, AppRegistration, AppSecretInfo } from './apps.types.ts';
import { DIRECTORY_TOPICS, type AppEvent } from './directory.events.ts';
import {
  deleteCertificate,
  deleteSecret,
  insertCertificate,
  insertSecret,
  selectCertificates,
  selectSecretHashes,
  selectSecrets,
} from './app.store.ts';
import { requireTenantApp } from './app.service.ts';
import { isUuid } from './directory.reader.ts';
import { audited, type Actor, type DirectoryDeps } from './service-support.ts';

export const MAX_SECRET_LIFETIME_DAYS = 730;
export const MAX_SECRETS_PER_APP = 10;
export const MAX_CERTIFICATES_PER_APP = 10;
export const MAX_CERTIFICATE_PEM_LENGTH = 16_384;
const MIN_RSA_BITS = 2048;
const DAY_MS = 86_400_000;
/** 30 random bytes are 40 base64url characters (240 bits). */
const SECRET_BYTES = 30;

/** What admins see of a certificate: never more than the public certificate itself. */
export type AppCertificateInfo = AppCertificate;

export interface AppCredentialService {
  listSecrets(tenantId: string, appId: string): Promise<readonly AppSecretInfo[]>;
  /** Creates a secret and returns it this once; only its hash and hint are kept. */
  addSecret(
    tenantId: string,
    appId: string,
    input: { displayName: string; lifetimeDays: number },
    actor: Actor,
  ): Promise<{ readonly secret: string; readonly info: AppSecretInfo }>;
  removeSecret(tenantId: string, appId: string, secretId: string, actor: Actor): Promise<void>;
  /** True when `secret` matches an unexpired secret of the app; one scrypt either way. */
  verifyClientSecret(appId: string, secret: string): Promise<boolean>;
  listTenantCertificates(tenantId: string, appId: string): Promise<readonly AppCertificate[]>;
  /** Unexpired certificates of the app, for `private_key_jwt` verification. */
  listCertificates(appId: string): Promise<readonly AppCertificate[]>;
  addCertificate(
    tenantId: string,
    appId: string,
    input: { pem: string; displayName?: string },
    actor: Actor,
  ): Promise<AppCertificate>;
  removeCertificate(tenantId: string, appId: string, certificateId: string, actor: Actor): Promise<void>;
}

/** Parses one PEM certificate and checks it can serve as a client credential at `now`. */
export function parseClientCertificate(pem: string, now: number): X509Certificate {
  const bad = (message: string) =>
    invalidRequest('The certificate is not acceptable.', [{ path: '/pem', message }]);
  if (pem.length > MAX_CERTIFICATE_PEM_LENGTH)
    throw bad(`must be at most ${MAX_CERTIFICATE_PEM_LENGTH} characters`);
  // A pasted private key must never be stored or echoed, even next to the certificate.
  if (pem.includes('PRIVATE KEY')) throw bad('must be the certificate only, never the private key');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw bad('must be a PEM certificate');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw bad('must be a PEM certificate');
  }
  if (Date.parse(cert.validTo) <= now) throw bad('has expired');
  const key = cert.publicKey;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw bad(`RSA keys must have at least ${MIN_RSA_BITS} bits`);
  } else if (key.asymmetricKeyType !== 'ec') {
    throw bad('must hold an RSA or EC public key');
  }
  return cert;
}

export function createAppCredentialService(deps: DirectoryDeps): AppCredentialService {
  const now = deps.now ?? Date.now;
  const db = deps.database.db;

  /** A confidential app the tenant owns: public clients hold no credentials (RFC 6749 §2.1). */
  async function requireConfidential(tenantId: string, appId: string): Promise<AppRegistration> {
    const app = await requireTenantApp(db, tenantId, appId);
    if (app.isPublicClient || app.isFirstParty)
      throw invalidRequest('Public clients cannot hold credentials.', [
        { path: '/appId', message: 'is a public client' },
      ]);
    return app;
  }

  const requireOwned = (tenantId: string, appId: string) => requireTenantApp(db, tenantId, appId);

  const appChanged = (tenantId: string, appId: string) => ({ tenantId, appId });

  return {
    async listSecrets(tenantId, appId) {
      await requireOwned(tenantId, appId);
      return selectSecrets(db, appId);
    },

    addSecret(tenantId, appId, input, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'app.secret_added',
          target: { type: 'app', id: appId },
          details: (r) => ({ secretId: r.info.id, expiresAt: r.info.expiresAt }),
        },
        async () => {
          await requireConfidential(tenantId, appId);
          const days = input.lifetimeDays;
          if (!Number.isInteger(days) || days < 1 || days > MAX_SECRET_LIFETIME_DAYS)
            throw invalidRequest('The lifetime is not valid.', [
              { path: '/lifetimeDays', message: `must be 1 to ${MAX_SECRET_LIFETIME_DAYS} days` },
            ]);
          if ((await selectSecrets(db, appId)).length >= MAX_SECRETS_PER_APP)
            throw conflict(`An app holds at most ${MAX_SECRETS_PER_APP} secrets; remove one first.`);
          const secret = randomBytes(SECRET_BYTES).toString('base64url');
          const at = now();
          const info: AppSecretInfo = {
            id: randomUUID(),
            appId,
            displayName: input.displayName,
            hint: secret.slice(0, 3),
            expiresAt: at + days * DAY_MS,
            createdAt: at,
          };
          const secretHash = await deps.hasher.hash(secret);
          await deps.outbox.transaction(async (trx, events) => {
            await insertSecret(trx, { ...info, secretHash });
            events.record<AppEvent>(DIRECTORY_TOPICS.appUpdated, appChanged(tenantId, appId));
          });
          return { secret, info };
        },
      );
    },

    removeSecret(tenantId, appId, secretId, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'app.secret_removed',
          target: { type: 'app', id: appId },
          details: { secretId },
        },
        async () => {
          await requireOwned(tenantId, appId);
          await deps.outbox.transaction(async (trx, events) => {
            if (!(await deleteSecret(trx, appId, secretId))) throw notFound('The secret does not exist.');
            events.record<AppEvent>(DIRECTORY_TOPICS.appUpdated, appChanged(tenantId, appId));
          });
        },
      );
    },

    async verifyClientSecret(appId, secret) {
      // The hint narrows the candidates to (almost always) one, so the cost is one scrypt.
      const hashes =
        isUuid(appId) && secret.length >= 3 && secret.length <= 256
          ? await selectSecretHashes(db, appId, secret.slice(0, 3), now())
          : [];
      if (hashes.length === 0) {
        await deps.hasher.dummyVerify(secret);
        return false;
      }
      let matched = false;
      for (const hash of hashes) if (await deps.hasher.verify(hash, secret)) matched = true;
      return matched;
    },

    async listTenantCertificates(tenantId, appId) {
      await requireOwned(tenantId, appId);
      return selectCertificates(db, appId);
    },

    listCertificates: (appId) => (isUuid(appId) ? selectCertificates(db, appId, now()) : Promise.resolve([])),

    addCertificate(tenantId, appId, input, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'app.certificate_added',
          target: { type: 'app', id: appId },
          details: (c) => ({
            certificateId: c.id,
            thumbprintSha256: c.thumbprintSha256,
            expiresAt: c.expiresAt,
          }),
        },
        async () => {
          await requireConfidential(tenantId, appId);
          const cert = parseClientCertificate(input.pem, now());
          const existing = await selectCertificates(db, appId);
          if (existing.length >= MAX_CERTIFICATES_PER_APP)
            throw conflict(
              `An app holds at most ${MAX_CERTIFICATES_PER_APP} certificates; remove one first.`,
            );
          const thumbprintSha256 = createHash('sha256').update(cert.raw).digest('base64url');
          if (existing.some((c) => c.thumbprintSha256 === thumbprintSha256))
            throw conflict('The app already holds this certificate.');
          const record: AppCertificate = {
            id: randomUUID(),
            appId,
            displayName: input.displayName ?? cert.subject.split('\n').join(', '),
            thumbprintSha256,
            thumbprintSha1: createHash('sha1').update(cert.raw).digest('base64url'),
            // Re-encoded from the parsed certificate, so nothing else the admin pasted is kept.
            certificatePem: cert.toString(),
            expiresAt: Date.parse(cert.validTo),
            createdAt: now(),
          };
          await deps.outbox.transaction(async (trx, events) => {
            await insertCertificate(trx, record);
            events.record<AppEvent>(DIRECTORY_TOPICS.appUpdated, appChanged(tenantId, appId));
          });
          return record;
        },
      );
    },

    removeCertificate(tenantId, appId, certificateId, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'app.certificate_removed',
          target: { type: 'app', id: appId },
          details: { certificateId },
        },
        async () => {
          await requireOwned(tenantId, appId);
          await deps.outbox.transaction(async (trx, events) => {
            if (!(await deleteCertificate(trx, appId, certificateId)))
              throw notFound('The certificate does not exist.');
            events.record<AppEvent>(DIRECTORY_TOPICS.appUpdated, appChanged(tenantId, appId));
          });
        },
      );
    },
  };
}
