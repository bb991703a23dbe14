/**
 * Hashes passwords and app client secrets with scrypt (RFC 7914), a memory-hard function, into a
 * self-describing string `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the cost can be
 * raised later without breaking stored hashes: `verify` reads the parameters from the string.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface SecretHasher {
  /** A new salted hash of `secret`. */
  hash(secret: string): Promise<string>;
  /** Whether `secret` matches `stored`; false (never an exception) for a malformed `stored`. */
  verify(stored: string, secret: string): Promise<boolean>;
  /**
   * Spends the time a real `verify` would, for an account that does not exist, so response
   * timing does not tell which user names exist.
   */
  dummyVerify(secret: string): Promise<void>;
  /** Whether `stored` was made with other parameters than the current ones (rehash on sign-in). */
  needsRehash(stored: string): boolean;
}

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet's scrypt row: N=2^15 (32 MiB with r=8), r=8, p=1. */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Stored strings come from our own database, but bound the work a corrupt one could ask for. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
/** Refuse absurdly long inputs before spending memory on them (passwords are capped at 256). */
const MAX_SECRET_LENGTH = 4096;

/** scrypt needs 128·N·r bytes; Node's default `maxmem` (32 MiB) is exactly N=2^15, r=8, so too small. */
function maxmemFor({ N, r }: ScryptParameters): number {
  return 128 * N * r + 16 * 1024 * 1024;
}

function derive(secret: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: maxmemFor(params) };
  return new Promise((resolve, reject) => {
    scryptCallback(secret.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

interface Parsed {
  readonly params: ScryptParameters;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function parse(stored: string): Parsed | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const isPowerOfTwo = Number.isSafeInteger(params.N) && params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (!isPowerOfTwo || params.N > MAX_N) return undefined;
  if (!Number.isSafeInteger(params.r) || params.r < 1 || params.r > MAX_R) return undefined;
  if (!Number.isSafeInteger(params.p) || params.p < 1 || params.p > MAX_P) return undefined;
  if (!BASE64URL.test(salt) || !BASE64URL.test(hash)) return undefined;
  const saltBytes = Buffer.from(salt, 'base64url');
  const hashBytes = Buffer.from(hash, 'base64url');
  if (saltBytes.length < 8 || hashBytes.length !== KEY_BYTES) return undefined;
  return { params, salt: saltBytes, hash: hashBytes };
}

function format(params: ScryptParameters, salt: Buffer, hash: Buffer): string {
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** A hasher with the given scrypt cost (the default for production; tests may pass a lower one). */
export function createSecretHasher(params: ScryptParameters = DEFAULT_SCRYPT): SecretHasher {
  // A fixed target for dummyVerify: same parameters, so the same memory and time as a real check.
  const dummySalt = randomBytes(SALT_BYTES);
  const dummyHash = Buffer.alloc(KEY_BYTES);
  return {
    async hash(secret) {
      if (secret.length > MAX_SECRET_LENGTH) throw new RangeError('secret is too long to hash');
      const salt = randomBytes(SALT_BYTES);
      return format(params, salt, await derive(secret, salt, params));
    },
    async verify(stored, secret) {
      const parsed = parse(stored);
      if (parsed === undefined || secret.length > MAX_SECRET_LENGTH) {
        await derive(secret.slice(0, MAX_SECRET_LENGTH), dummySalt, params);
        return false;
      }
      const candidate = await derive(secret, parsed.salt, parsed.params);
      return timingSafeEqual(candidate, parsed.hash);
    },
    async dummyVerify(secret) {
      const candidate = await derive(secret.slice(0, MAX_SECRET_LENGTH), dummySalt, params);
      timingSafeEqual(candidate, dummyHash);
    },
    needsRehash(stored) {
      const current = parse(stored)?.params;
      return current?.N !== params.N || current.r !== params.r || current.p !== params.p;
    },
  };
}
