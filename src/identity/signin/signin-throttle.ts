/**
 * Sign-in throttling against password guessing (OWASP Authentication Cheat Sheet, "Login
 * Throttling"; NIST SP 800-63B §5.2.2 rate limiting):
 *
 * - Per account: a few free attempts in a window, then a lock that doubles with each further
 *   failure up to a ceiling. Lock length after failure n (n ≥ free): base · 2^(n − free), capped.
 *   The counter is charged when an attempt starts, not when it fails, so a burst of parallel
 *   guesses gets no more than the free attempts plus one; a success clears the account's state.
 *   Keys are an HMAC of the account identifier, never the user name itself, and they exist for
 *   names that have no account just the same: the answer does not say whether an account exists.
 * - Per client address and per subnet (/24, /64 by default): a budget of attempts that a success
 *   refunds, so it counts failures and attempts in flight (an office behind one NAT address signs
 *   in all morning without spending it; a credential-stuffing run spends it fast).
 *
 * Buckets live in Redis when `config.redisUrl` is set, so every node of a cluster enforces the same
 * counts, with in-memory insurance limiters while Redis is unreachable (as platform/ratelimit).
 */
import { createHmac } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config, RateBudget } from '../../config/config.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { normalizeAddress, subnetKey } from '../../platform/ratelimit/client-address.ts';
import { makeLimiter } from '../../platform/ratelimit/rate-limits.ts';
import { closeRateLimitRedis, openRateLimitRedis } from '../../platform/ratelimit/redis-store.ts';

export interface SignInThrottleSettings {
  /** Attempts an account gets in `windowSec` before locks begin. */
  readonly freeAttempts: number;
  readonly windowSec: number;
  /** First lock; each further failure doubles it. */
  readonly baseLockSec: number;
  readonly maxLockSec: number;
  /** Attempt budgets per client address and per subnet (refunded on success). */
  readonly ip: RateBudget;
  readonly subnet: RateBudget;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleSettings = {
  freeAttempts: 5,
  windowSec: 15 * 60,
  baseLockSec: 30,
  maxLockSec: 15 * 60,
  ip: { points: 30, durationSec: 15 * 60 },
  subnet: { points: 120, durationSec: 15 * 60 },
};

/** What one attempt is about: an account identifier (hashed here) and the client address. */
export interface ThrottleContext {
  /** Namespaced identifier, e.g. `upn:alice@contoso.com` or `mfa:<user id>`. */
  readonly account: string;
  readonly ip: string;
}

export type ThrottleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSec: number; readonly limit: 'account' | 'ip' | 'subnet' };

export interface SignInThrottle {
  /** Call before verifying anything; charges the attempt. */
  check(context: ThrottleContext): Promise<ThrottleDecision>;
  recordFailure(context: ThrottleContext): Promise<void>;
  recordSuccess(context: ThrottleContext): Promise<void>;
  close(): Promise<void>;
}

export interface SignInThrottleOptions {
  /** `redisUrl` and the subnet prefixes of `rateLimits` are used. */
  readonly config: Pick<Config, 'redisUrl' | 'rateLimits'>;
  readonly logger: Logger;
  /** HMAC key for account keys, e.g. `InstallationSecret.derive('signin-throttle')` (same on every node). */
  readonly accountKeySecret: Buffer;
  readonly settings?: Partial<SignInThrottleSettings>;
  /** Redis namespace; defaults to `parley:signin`. */
  readonly redisKeyPrefix?: string;
}

/** Addresses that do not parse share one bucket, so junk values never earn a fresh budget. */
const INVALID_ADDRESS_KEY = 'invalid';

export async function createSignInThrottle(options: SignInThrottleOptions): Promise<SignInThrottle> {
  const s = { ...DEFAULT_SIGN_IN_THROTTLE, ...options.settings };
  const prefix = options.redisKeyPrefix ?? 'parley:signin';
  const redisUrl = options.config.redisUrl;
  const redis = redisUrl === undefined ? undefined : await openRateLimitRedis(redisUrl, options.logger);
  const make = (name: string, points: number, durationSec: number) =>
    makeLimiter({ points, durationSec }, `${prefix}:${name}`, redis);

  const attempts = make('attempts', s.freeAttempts, s.windowSec);
  // One point: whoever consumes it first holds the lock for the duration it chose.
  const locks = make('lock', 1, s.maxLockSec);
  const ipBudget = make('ip', s.ip.points, s.ip.durationSec);
  const subnetBudget = make('subnet', s.subnet.points, s.subnet.durationSec);
  const { ipv4SubnetPrefix, ipv6SubnetPrefix } = options.config.rateLimits;

  const accountKey = (account: string) =>
    createHmac('sha256', options.accountKeySecret).update(account, 'utf8').digest('base64url');
  const clientKeys = (ip: string) => {
    try {
      return { ip: normalizeAddress(ip), subnet: subnetKey(ip, ipv4SubnetPrefix, ipv6SubnetPrefix) };
    } catch {
      return { ip: INVALID_ADDRESS_KEY, subnet: INVALID_ADDRESS_KEY };
    }
  };
  const lockSecFor = (failures: number) =>
    Math.min(s.maxLockSec, s.baseLockSec * 2 ** Math.max(0, failures - s.freeAttempts));

  /** Remaining lock in ms, or 0 when the account is not locked. */
  const lockRemaining = async (key: string): Promise<number> => {
    const held = await locks.get(key);
    return held !== null && held.consumedPoints > 0 ? Math.max(0, held.msBeforeNext) : 0;
  };

  /**
   * Takes the lock for `failures` if nobody holds one. The attempt counter is kept alive until a
   * window after the lock ends, so waiting out a lock never brings back the free attempts.
   */
  const tryLock = async (key: string, failures: number): Promise<{ taken: boolean; waitMs: number }> => {
    const sec = lockSecFor(failures);
    const outcome = await settle(locks.consume(key, 1, { customDuration: sec }));
    if (!outcome.ok) return { taken: false, waitMs: outcome.res.msBeforeNext };
    await attempts.set(key, failures, sec + s.windowSec);
    return { taken: true, waitMs: sec * 1000 };
  };

  return {
    async check(context) {
      const key = accountKey(context.account);
      const locked = await lockRemaining(key);
      if (locked > 0) return deny('account', locked);

      const client = clientKeys(context.ip);
      // Both client budgets are charged even when one is empty, as in platform/ratelimit.
      const [ip, subnet] = await Promise.all([
        settle(ipBudget.consume(client.ip)),
        settle(subnetBudget.consume(client.subnet)),
      ]);
      if (!ip.ok || !subnet.ok) {
        const limit = !ip.ok ? 'ip' : 'subnet';
        return deny(
          limit,
          Math.max(ip.ok ? 0 : ip.res.msBeforeNext, subnet.ok ? 0 : subnet.res.msBeforeNext),
        );
      }

      const counted = await settle(attempts.consume(key));
      if (counted.ok) return { allowed: true };
      // Past the free attempts and no lock held: this attempt may go ahead only if it takes the
      // next (longer) lock first, so parallel attempts find the lock and wait.
      const lock = await tryLock(key, counted.res.consumedPoints);
      if (lock.taken) return { allowed: true };
      await attempts.reward(key);
      return deny('account', lock.waitMs);
    },

    async recordFailure(context) {
      const key = accountKey(context.account);
      const counted = await attempts.get(key);
      const failures = counted?.consumedPoints ?? 0;
      // The failure that uses up the free attempts starts the first lock.
      if (failures >= s.freeAttempts && (await lockRemaining(key)) === 0) await tryLock(key, failures);
    },

    async recordSuccess(context) {
      const key = accountKey(context.account);
      const client = clientKeys(context.ip);
      await Promise.all([
        attempts.delete(key),
        locks.delete(key),
        refund(ipBudget, client.ip),
        refund(subnetBudget, client.subnet),
      ]);
    },

    async close() {
      if (redis !== undefined) await closeRateLimitRedis(redis);
    },
  };
}

/**
 * Gives back the point a successful attempt charged, never more: a reward on an empty or expired
 * bucket would bank credit, and a run of successful sign-ins would then buy extra failures.
 */
async function refund(bucket: RateLimiterAbstract, key: string): Promise<void> {
  const current = await bucket.get(key);
  if (current !== null && current.consumedPoints > 0) await bucket.reward(key);
}

function deny(limit: 'account' | 'ip' | 'subnet', waitMs: number): ThrottleDecision {
  return { allowed: false, limit, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
}

type Settled =
  { readonly ok: true; readonly res: RateLimiterRes } | { readonly ok: false; readonly res: RateLimiterRes };

/** A consume's outcome: refusals (RateLimiterRes) become values; store errors still throw. */
async function settle(promise: Promise<RateLimiterRes>): Promise<Settled> {
  try {
    return { ok: true, res: await promise };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { ok: false, res: err };
    throw err;
  }
}
