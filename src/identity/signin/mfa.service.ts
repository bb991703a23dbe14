/**
 * A user's second factors: TOTP enrolment (pending until a first code proves the app has the
 * secret), verification with replay protection, recovery codes, removal. The TOTP secret is
 * sealed at rest (AES-256-GCM) with the row's user id as context, so a sealed secret copied to
 * another user's row does not open. No throttling or auditing here: the sign-in flow wraps these.
 */
import type { Database } from '../../platform/db/database.ts';
import type { Sealer } from '../../platform/crypto/sealer.ts';
import { conflict } from '../../platform/errors/app-error.ts';
import {
  acceptTotpStep,
  confirmPendingSecret,
  consumeRecoveryCode,
  countUnusedRecoveryCodes,
  deleteMfa,
  replaceRecoveryCodes,
  selectMfa,
  selectUserTenantId,
  upsertPendingSecret,
} from './mfa.store.ts';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.ts';
import { matchingTotpSteps, newTotpSecret, totpQrSvg, totpUri } from './totp.ts';

export interface TotpEnrolment {
  /** Base32 secret, for typing into an app by hand. */
  readonly secret: string;
  readonly otpauthUri: string;
  /** The URI as an SVG QR code (paths only). */
  readonly qrSvg: string;
}

export interface AuthenticationMethods {
  /** A confirmed authenticator app. */
  readonly totpEnrolled: boolean;
  readonly totpConfirmedAt: number | null;
  /** An enrolment was started and not confirmed yet. */
  readonly totpPending: boolean;
  readonly recoveryCodesRemaining: number;
}

export type SecondFactorCheck =
  { readonly ok: true; readonly method: 'totp' | 'recovery_code' } | { readonly ok: false };

export interface MfaService {
  methods(userId: string): Promise<AuthenticationMethods>;
  hasConfirmedTotp(userId: string): Promise<boolean>;
  /** Starts (or restarts) enrolment; 409 conflict when an authenticator is already confirmed. */
  beginEnrolment(userId: string, issuerLabel: string, accountName: string): Promise<TotpEnrolment>;
  /** Confirms with a first code; returns fresh recovery codes (shown once), or undefined for a wrong code. */
  confirmEnrolment(userId: string, code: string): Promise<readonly string[] | undefined>;
  /** A current TOTP code (never one already used) or an unused recovery code, which is then spent. */
  verify(userId: string, code: string): Promise<SecondFactorCheck>;
  /** Removes the authenticator and the recovery codes; returns whether one was confirmed. */
  removeMfa(userId: string): Promise<boolean>;
  /** Replaces the recovery codes; 409 conflict without a confirmed authenticator. */
  regenerateRecoveryCodes(userId: string): Promise<readonly string[]>;
  /** The user's tenant (for audit records), or undefined for an unknown user. */
  tenantOf(userId: string): Promise<string | undefined>;
}

export interface MfaServiceDeps {
  readonly database: Database;
  /** Seals TOTP secrets; its key is `InstallationSecret.derive('mfa')`. */
  readonly sealer: Sealer;
  /** HMAC key for recovery codes, e.g. `InstallationSecret.derive('mfa-recovery-codes')`. */
  readonly recoveryCodeKey: Buffer;
  readonly now?: () => number;
}

const sealContext = (userId: string) => `totp:${userId}`;

export function createMfaService(deps: MfaServiceDeps): MfaService {
  const db = deps.database.db;
  const now = deps.now ?? Date.now;

  const issueRecoveryCodes = async (trx: typeof db, userId: string, at: number): Promise<string[]> => {
    const codes = newRecoveryCodes();
    const hashes = codes.map((code) => hashRecoveryCode(deps.recoveryCodeKey, userId, code));
    await replaceRecoveryCodes(trx, userId, hashes, at);
    return codes;
  };

  const verifyTotp = async (userId: string, code: string): Promise<boolean> => {
    const row = await selectMfa(db, userId);
    if (row?.secretSealed == null || row.confirmedAt === null) return false;
    const secret = deps.sealer.open(row.secretSealed, sealContext(userId));
    const at = now();
    // Newest matching step first; a step at or below the last accepted one is a replay.
    for (const step of matchingTotpSteps(secret, code, at)) {
      if (row.lastStep !== null && step <= row.lastStep) return false;
      if (await acceptTotpStep(db, userId, step, at)) return true;
    }
    return false;
  };

  const useRecoveryCode = async (userId: string, code: string): Promise<boolean> => {
    const normal = normalizeRecoveryCode(code);
    if (normal === undefined) return false;
    return consumeRecoveryCode(db, userId, hashRecoveryCode(deps.recoveryCodeKey, userId, normal), now());
  };

  const hasConfirmedTotp = async (userId: string): Promise<boolean> => {
    const row = await selectMfa(db, userId);
    return row !== undefined && row.confirmedAt !== null;
  };

  return {
    async methods(userId) {
      const row = await selectMfa(db, userId);
      const enrolled = row !== undefined && row.confirmedAt !== null;
      return {
        totpEnrolled: enrolled,
        totpConfirmedAt: row?.confirmedAt ?? null,
        totpPending: row?.confirmedAt === null && row.secretSealed !== null,
        recoveryCodesRemaining: enrolled ? await countUnusedRecoveryCodes(db, userId) : 0,
      };
    },

    hasConfirmedTotp,

    async beginEnrolment(userId, issuerLabel, accountName) {
      const secret = newTotpSecret();
      const stored = await upsertPendingSecret(
        db,
        userId,
        deps.sealer.seal(secret, sealContext(userId)),
        now(),
      );
      if (!stored) throw conflict('An authenticator app is already registered. Remove it first.');
      const otpauthUri = totpUri(secret, issuerLabel, accountName);
      return { secret, otpauthUri, qrSvg: totpQrSvg(otpauthUri) };
    },

    async confirmEnrolment(userId, code) {
      const row = await selectMfa(db, userId);
      if (row?.secretSealed == null || row.confirmedAt !== null) return undefined;
      const sealed = row.secretSealed;
      const step = matchingTotpSteps(deps.sealer.open(sealed, sealContext(userId)), code, now())[0];
      if (step === undefined) return undefined;
      return db.transaction().execute(async (trx) => {
        const at = now();
        if (!(await confirmPendingSecret(trx, userId, sealed, step, at))) return undefined;
        return issueRecoveryCodes(trx, userId, at);
      });
    },

    async verify(userId, code) {
      if (/^[0-9]{6}$/.test(code))
        return (await verifyTotp(userId, code)) ? { ok: true, method: 'totp' } : { ok: false };
      // Recovery codes stop working with the authenticator they back up.
      if (!(await hasConfirmedTotp(userId))) return { ok: false };
      return (await useRecoveryCode(userId, code)) ? { ok: true, method: 'recovery_code' } : { ok: false };
    },

    removeMfa(userId) {
      return db.transaction().execute((trx) => deleteMfa(trx, userId));
    },

    async regenerateRecoveryCodes(userId) {
      return db.transaction().execute(async (trx) => {
        const row = await selectMfa(trx, userId);
        if (row === undefined || row.confirmedAt === null)
          throw conflict('Recovery codes need a registered authenticator app.');
        return issueRecoveryCodes(trx, userId, now());
      });
    },

    tenantOf: (userId) => selectUserTenantId(db, userId),
  };
}
