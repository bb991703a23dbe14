/**
 * Server-side progress of one sign-in interaction (which user passed the password step, whether a
 * second factor is still owed). Kept next to oidc-provider's own interaction in the same table,
 * keyed by the interaction id and tenant, and expiring with it: the browser holds nothing but the
 * provider's signed interaction cookie.
 */
import type { Database } from '../../platform/db/database.ts';

const MODEL = 'SignInProgress';

export interface SignInProgress {
  readonly userId: string;
  readonly upn: string;
  /** What is still owed before the sign-in completes. */
  readonly pending: 'none' | 'mfa' | 'mfa_enrolment';
  readonly amr: readonly string[];
}

export class SignInProgressStore {
  readonly #database: Database;
  constructor(database: Database) {
    this.#database = database;
  }

  async get(tenantId: string, uid: string): Promise<SignInProgress | undefined> {
    const row = await this.#database.db
      .selectFrom('oidc_artifacts')
      .select(['payload', 'expires_at'])
      .where('model', '=', MODEL)
      .where('id', '=', uid)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (row === undefined || (row.expires_at !== null && row.expires_at <= Date.now())) return undefined;
    return JSON.parse(row.payload) as SignInProgress;
  }

  async put(tenantId: string, uid: string, progress: SignInProgress, expiresAt: number): Promise<void> {
    const payload = JSON.stringify(progress);
    await this.#database.db
      .insertInto('oidc_artifacts')
      .values({
        model: MODEL,
        id: uid,
        tenant_id: tenantId,
        payload,
        grant_id: null,
        user_code: null,
        uid,
        expires_at: expiresAt,
        consumed_at: null,
      })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet({ payload, expires_at: expiresAt }))
      .execute();
  }

  async remove(tenantId: string, uid: string): Promise<void> {
    await this.#database.db
      .deleteFrom('oidc_artifacts')
      .where('model', '=', MODEL)
      .where('id', '=', uid)
      .where('tenant_id', '=', tenantId)
      .execute();
  }
}
