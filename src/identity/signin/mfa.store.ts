/**
 * SQL for the MFA credentials this layer owns: `user_mfa` (the sealed TOTP secret, its
 * confirmation and the last accepted time step) and `user_recovery_codes`. Every "use once" rule
 * is a conditional UPDATE whose affected-row count decides, so two requests racing with the same
 * code cannot both succeed, on one node or across a cluster.
 */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../../platform/db/schema.ts';

type Db = Kysely<DatabaseSchema>;

export interface MfaRow {
  readonly secretSealed: string | null;
  readonly confirmedAt: number | null;
  readonly lastStep: number | null;
}

export async function selectMfa(db: Db, userId: string): Promise<MfaRow | undefined> {
  const row = await db
    .selectFrom('user_mfa')
    .select(['totp_secret_sealed', 'totp_confirmed_at', 'totp_last_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        secretSealed: row.totp_secret_sealed,
        confirmedAt: row.totp_confirmed_at,
        lastStep: row.totp_last_step,
      };
}

/**
 * Stores a new unconfirmed secret, replacing an earlier unconfirmed one. Returns false (and
 * changes nothing) when the user already has a confirmed authenticator: replacing it needs the
 * removal step, which asks for a current code.
 */
export async function upsertPendingSecret(
  db: Db,
  userId: string,
  sealed: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .insertInto('user_mfa')
    .values({
      user_id: userId,
      totp_secret_sealed: sealed,
      totp_confirmed_at: null,
      totp_last_step: null,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ totp_secret_sealed: sealed, totp_last_step: null, updated_at: now })
        .where('user_mfa.totp_confirmed_at', 'is', null),
    )
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/**
 * Confirms the pending secret `sealed` with the step of its first code. Fails when the secret was
 * replaced or confirmed meanwhile (another tab's enrolment).
 */
export async function confirmPendingSecret(
  db: Db,
  userId: string,
  sealed: string,
  step: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('user_mfa')
    .set({ totp_confirmed_at: now, totp_last_step: step, updated_at: now })
    .where('user_id', '=', userId)
    .where('totp_secret_sealed', '=', sealed)
    .where('totp_confirmed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records `step` as used, only if it is newer than the last accepted one (RFC 6238 §5.2: a
 * verifier must not accept the second attempt of the same OTP). False means a replay.
 */
export async function acceptTotpStep(db: Db, userId: string, step: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('user_mfa')
    .set({ totp_last_step: step, updated_at: now })
    .where('user_id', '=', userId)
    .where('totp_confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Replaces every recovery code of the user with `hashes`. */
export async function replaceRecoveryCodes(
  db: Db,
  userId: string,
  hashes: readonly string[],
  now: number,
): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('user_recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null, created_at: now })))
    .execute();
}

/** Marks the code used; false when it does not exist or was used before. */
export async function consumeRecoveryCode(
  db: Db,
  userId: string,
  hash: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('user_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('user_recovery_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Deletes the authenticator and the recovery codes; returns whether there was a confirmed one. */
export async function deleteMfa(db: Db, userId: string): Promise<boolean> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  const result = await db
    .deleteFrom('user_mfa')
    .where('user_id', '=', userId)
    .returning('totp_confirmed_at')
    .execute();
  return result.some((row) => row.totp_confirmed_at !== null);
}

/**
 * The tenant a user belongs to, for audit records of MFA changes (the directory's reader looks
 * users up only within a known tenant, and the sign-in steps know just the user id).
 */
export async function selectUserTenantId(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('tenant_id').where('id', '=', userId).executeTakeFirst();
  return row?.tenant_id;
}
