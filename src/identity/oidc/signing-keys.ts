/**
 * Token-signing keys with scheduled rotation. Each key is published in the JWKS from the moment it
 * is created, starts signing one day later (so verifiers that cache the JWKS already know it,
 * RFC 7517 §5 / OpenID Connect Core §10.1.1), signs for the rotation period, and stays published
 * until every token it signed has expired. Private halves are sealed at rest.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { Database } from '../../platform/db/database.ts';
import type { Sealer } from '../../platform/crypto/sealer.ts';

const DAY_MS = 86_400_000;
/** How long a new key is published before it signs. */
export const PRE_PUBLICATION_MS = DAY_MS;

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256';
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
  readonly activatesAt: number;
  readonly retiresAt: number;
  readonly expiresAt: number;
}

export interface KeySet {
  /** The key that signs now. */
  readonly signing: SigningKey;
  /** Every key still published (signing key first). */
  readonly published: readonly SigningKey[];
  /** When the set must next be reloaded (a key activates, retires or expires). */
  readonly nextChangeAt: number;
}

export interface SigningKeyOptions {
  readonly purpose: string;
  readonly rotationMs: number;
  /** Longest lifetime of anything signed with a key (access, ID and refresh-bound tokens). */
  readonly tokenLifetimeMs: number;
}

export class SigningKeyStore {
  readonly #database: Database;
  readonly #sealer: Sealer;
  readonly #options: SigningKeyOptions;

  constructor(database: Database, sealer: Sealer, options: SigningKeyOptions) {
    this.#database = database;
    this.#sealer = sealer;
    this.#options = options;
  }

  /**
   * Loads the published keys, creating the first key (active at once) or the next one (active when
   * the current one retires) as needed. Safe to run on several nodes at once: a node that loses a
   * race simply reads the other node's key on its next load.
   */
  async load(now = Date.now()): Promise<KeySet> {
    let keys = await this.#published(now);
    const active = keys.filter((k) => k.activatesAt <= now && k.retiresAt > now);
    if (active.length === 0) {
      await this.#create(now);
      keys = await this.#published(now);
    }
    const current = pickSigning(keys, now);
    if (current === undefined) throw new Error('no signing key could be created');
    const hasSuccessor = keys.some((k) => k.activatesAt > current.activatesAt);
    if (!hasSuccessor && current.retiresAt - now <= PRE_PUBLICATION_MS) {
      await this.#create(current.retiresAt);
      keys = await this.#published(now);
    }
    const signing = pickSigning(keys, now) ?? current;
    const events = keys.flatMap((k) => [k.activatesAt, k.retiresAt, k.expiresAt]).filter((t) => t > now);
    // Also wake up when the successor must be created.
    events.push(signing.retiresAt - PRE_PUBLICATION_MS);
    const nextChangeAt = Math.max(now + 1000, Math.min(...events.filter((t) => t > now)));
    return { signing, published: [signing, ...keys.filter((k) => k.kid !== signing.kid)], nextChangeAt };
  }

  /** Starts a new key now and retires the current one (compromise response); old tokens stay valid. */
  async rotateNow(now = Date.now()): Promise<void> {
    await this.#database.db
      .updateTable('signing_keys')
      .set({ retires_at: now })
      .where('purpose', '=', this.#options.purpose)
      .where('retires_at', '>', now)
      .execute();
    await this.#create(now);
  }

  async #create(activatesAt: number): Promise<void> {
    const now = Date.now();
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    const retiresAt = activatesAt + this.#options.rotationMs;
    await this.#database.db
      .insertInto('signing_keys')
      .values({
        kid,
        purpose: this.#options.purpose,
        alg: 'RS256',
        public_jwk: JSON.stringify(publicJwk),
        private_jwk_sealed: this.#sealer.seal(JSON.stringify(privateJwk), `signing-key:${kid}`),
        created_at: now,
        activates_at: activatesAt,
        retires_at: retiresAt,
        expires_at: retiresAt + this.#options.tokenLifetimeMs,
      })
      .execute();
  }

  async #published(now: number): Promise<SigningKey[]> {
    const rows = await this.#database.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('purpose', '=', this.#options.purpose)
      .where('expires_at', '>', now)
      .orderBy('activates_at', 'desc')
      .execute();
    return rows.map((row) => ({
      kid: row.kid,
      alg: 'RS256' as const,
      publicJwk: JSON.parse(row.public_jwk) as JWK,
      privateJwk: JSON.parse(this.#sealer.open(row.private_jwk_sealed, `signing-key:${row.kid}`)) as JWK,
      activatesAt: row.activates_at,
      retiresAt: row.retires_at,
      expiresAt: row.expires_at,
    }));
  }
}

/** The newest key that has started signing and not retired. */
function pickSigning(keys: readonly SigningKey[], now: number): SigningKey | undefined {
  return keys.find((k) => k.activatesAt <= now && k.retiresAt > now);
}
