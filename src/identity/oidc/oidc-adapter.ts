/**
 * Storage for oidc-provider's artefacts (sessions, interactions, authorization and device codes,
 * refresh tokens, grants…) in Parley's database, one row per artefact. Every row carries the
 * tenant whose provider created it, and a provider only ever sees its own tenant's rows: a code,
 * session or refresh token from one tenant is unknown to every other tenant.
 *
 * Two models are special: `Client` comes from the directory's app registrations (see
 * client-metadata.ts), and `ReplayDetection` keeps nothing, because MSAL re-sends the same client
 * assertion for its whole ten-minute life (research I10, as Entra accepts); assertions are still
 * bound to the token endpoint audience and their short expiry.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Database } from '../../platform/db/database.ts';

export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'ClientCredentials',
  'BackchannelAuthenticationRequest',
  'Grant',
]);

/** Builds the adapter class one tenant's provider uses. */
export function tenantAdapter(database: Database, tenantId: string, findClient: ClientLookup) {
  const db = database.db;
  return class TenantAdapter implements Adapter {
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.#model === 'ReplayDetection' || this.#model === 'Client') return;
      const row = {
        model: this.#model,
        id,
        tenant_id: tenantId,
        payload: JSON.stringify(payload),
        grant_id: GRANTABLE.has(this.#model) ? (payload.grantId ?? null) : null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn > 0 ? Date.now() + expiresIn * 1000 : null,
        consumed_at: null,
      };
      await db
        .insertInto('oidc_artifacts')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet({
            payload: row.payload,
            grant_id: row.grant_id,
            user_code: row.user_code,
            uid: row.uid,
            expires_at: row.expires_at,
          }),
        )
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#model === 'Client') return findClient(id);
      if (this.#model === 'ReplayDetection') return undefined;
      return this.#findWhere('id', id);
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.#findWhere('user_code', userCode);
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.#findWhere('uid', uid);
    }

    async consume(id: string): Promise<void> {
      const now = Date.now();
      const row = await this.#row('id', id);
      if (row === undefined) return;
      const payload = { ...(JSON.parse(row.payload) as AdapterPayload), consumed: Math.floor(now / 1000) };
      await db
        .updateTable('oidc_artifacts')
        .set({ consumed_at: now, payload: JSON.stringify(payload) })
        .where('model', '=', this.#model)
        .where('id', '=', id)
        .where('tenant_id', '=', tenantId)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      await db
        .deleteFrom('oidc_artifacts')
        .where('model', '=', this.#model)
        .where('id', '=', id)
        .where('tenant_id', '=', tenantId)
        .execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // One grant is one sign-in's token family: removing every artefact of it (codes, refresh
      // tokens, the grant itself) is what makes refresh-token reuse revoke the whole family.
      await db
        .deleteFrom('oidc_artifacts')
        .where('grant_id', '=', grantId)
        .where('tenant_id', '=', tenantId)
        .execute();
      await db
        .deleteFrom('oidc_artifacts')
        .where('model', '=', 'Grant')
        .where('id', '=', grantId)
        .where('tenant_id', '=', tenantId)
        .execute();
    }

    async #row(column: 'id' | 'user_code' | 'uid', value: string) {
      if (typeof value !== 'string' || value.length === 0 || value.length > 512) return undefined;
      return db
        .selectFrom('oidc_artifacts')
        .select(['payload', 'expires_at'])
        .where('model', '=', this.#model)
        .where(column, '=', value)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
    }

    async #findWhere(column: 'id' | 'user_code' | 'uid', value: string): Promise<AdapterPayload | undefined> {
      const row = await this.#row(column, value);
      if (row === undefined) return undefined;
      if (row.expires_at !== null && row.expires_at <= Date.now()) return undefined;
      return JSON.parse(row.payload) as AdapterPayload;
    }
  };
}

/** Removes expired artefacts; run periodically by one node at a time is not required (idempotent). */
export async function purgeExpiredArtifacts(database: Database, now = Date.now()): Promise<number> {
  const result = await database.db
    .deleteFrom('oidc_artifacts')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The tenant whose provider created an artefact (a code, refresh token, device code or
 * interaction): how tenant-less endpoints (`/common`, the sign-in page) find the right provider.
 */
export async function tenantOfArtifact(
  database: Database,
  model: string,
  id: string,
): Promise<string | undefined> {
  if (id.length === 0 || id.length > 512) return undefined;
  const row = await database.db
    .selectFrom('oidc_artifacts')
    .select('tenant_id')
    .where('model', '=', model)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.tenant_id ?? undefined;
}
