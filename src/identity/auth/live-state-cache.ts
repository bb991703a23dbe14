/**
 * Short-lived cache of the state a token check depends on (user enabled and revocation time,
 * grant still present, app still registered). Two seconds bounds how long a revocation can lag
 * on a node that missed the revocation event; the event clears the entry at once.
 */
import type { Database } from '../../platform/db/database.ts';
import type { DirectoryReader, User } from '../../directory/directory.types.ts';

const TTL_MS = 2000;
const MAX_ENTRIES = 50_000;

export class LiveStateCache {
  readonly #reader: DirectoryReader;
  readonly #database: Database;
  readonly #appExists: (appId: string) => Promise<boolean>;
  readonly #entries = new Map<string, { value: unknown; at: number }>();

  constructor(reader: DirectoryReader, database: Database, appExists: (appId: string) => Promise<boolean>) {
    this.#reader = reader;
    this.#database = database;
    this.#appExists = appExists;
  }

  user(tenantId: string, userId: string): Promise<User | undefined> {
    return this.#cached(`u:${tenantId}:${userId}`, () => this.#reader.getUser(tenantId, userId));
  }

  grantActive(tenantId: string, grantId: string): Promise<boolean> {
    return this.#cached(`g:${tenantId}:${grantId}`, async () => {
      const row = await this.#database.db
        .selectFrom('oidc_artifacts')
        .select(['expires_at'])
        .where('model', '=', 'Grant')
        .where('id', '=', grantId)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row !== undefined && (row.expires_at === null || row.expires_at > Date.now());
    });
  }

  appActive(appId: string): Promise<boolean> {
    return this.#cached(`a:${appId}`, () => this.#appExists(appId));
  }

  forgetUser(tenantId: string, userId: string): void {
    this.#entries.delete(`u:${tenantId}:${userId}`);
    // Grants are keyed by id, not user: drop them all (cheap, and rare).
    for (const key of this.#entries.keys()) if (key.startsWith('g:')) this.#entries.delete(key);
  }

  async #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && now - hit.at < TTL_MS) return hit.value as T;
    const value = await load();
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(key, { value, at: now });
    return value;
  }
}
