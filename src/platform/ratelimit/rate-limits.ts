/**
 * The one rate-limiting mechanism: fixed-window buckets keyed by client address, client subnet,
 * signed-in principal, tenant and federated partner domain, built on rate-limiter-flexible.
 *
 * Store: in process memory on a single node; in Redis when `Config.redisUrl` is set, so every
 * process of a cluster draws from the same buckets (keys `parley:rl:<kind>:<key>`).
 *
 * Redis outage: each Redis limiter has an in-memory insurance limiter with the same budget, and
 * the Redis client neither queues nor waits for commands while disconnected. So when Redis is
 * down or slow every limit keeps applying, per process, with no added latency; a cluster of N
 * processes then admits up to N times a budget until Redis returns. We chose this over failing
 * closed (every request 500/429 while Redis is down: a Redis outage becomes a full outage) and over
 * failing open (no limits at all: an attacker who can knock Redis over removes every limit).
 */
import { domainToASCII } from 'node:url';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Config, RateBudget } from '../../config/config.ts';
import { rateLimited } from '../errors/app-error.ts';
import type { Logger } from '../logging/logger.ts';
import { normalizeAddress, subnetKey } from './client-address.ts';
import { closeRateLimitRedis, openRateLimitRedis } from './redis-store.ts';

/** What a bucket is keyed by. */
export type LimitKind = 'ip' | 'subnet' | 'principal' | 'tenant' | 'partner';

const KINDS: readonly LimitKind[] = ['ip', 'subnet', 'principal', 'tenant', 'partner'];

/** Default Redis namespace; tests pass their own so parallel runs never share a bucket. */
export const DEFAULT_REDIS_KEY_PREFIX = 'parley:rl';

/**
 * Bucket key for addresses that do not parse (a trusted proxy forwarding garbage): they all share
 * one bucket, so inventing new junk values never earns a fresh budget.
 */
const INVALID_ADDRESS_KEY = 'invalid';

export interface RateLimits {
  /**
   * Consumes `points` (default 1) from the bucket; throws AppError rate_limited (429, Retry-After
   * header) when exhausted. Keys: `ip` an address (normalised here), `subnet` an address or a
   * `subnetKey()`, `partner` a domain name (lower-cased, IDNA A-label), `principal` and `tenant`
   * opaque ids.
   */
  consume(kind: LimitKind, key: string, points?: number): Promise<void>;
  /** Consumes the ip and subnet buckets for a client address (both, so rotating inside a /24 or /64 does not escape). */
  consumeClient(ip: string): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitsOptions {
  /** Namespace for Redis keys; defaults to `parley:rl`. */
  readonly redisKeyPrefix?: string;
}

/** Builds the limiters for `config`: in memory, or in Redis (with in-memory insurance) when `redisUrl` is set. */
export async function createRateLimits(
  config: Config,
  logger: Logger,
  options: RateLimitsOptions = {},
): Promise<RateLimits> {
  const budgets = config.rateLimits;
  const prefix = options.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  const redis = config.redisUrl === undefined ? undefined : await openRateLimitRedis(config.redisUrl, logger);
  const limiters = new Map<LimitKind, RateLimiterAbstract>(
    KINDS.map((kind) => [kind, makeLimiter(budgets[kind], `${prefix}:${kind}`, redis)]),
  );
  const limiterFor = (kind: LimitKind): RateLimiterAbstract => {
    const limiter = limiters.get(kind);
    if (limiter === undefined) throw new TypeError(`unknown rate-limit kind: ${kind}`);
    return limiter;
  };

  const clientKey = (ip: string): { ip: string; subnet: string } => {
    try {
      return {
        ip: normalizeAddress(ip),
        subnet: subnetKey(ip, budgets.ipv4SubnetPrefix, budgets.ipv6SubnetPrefix),
      };
    } catch {
      return { ip: INVALID_ADDRESS_KEY, subnet: INVALID_ADDRESS_KEY };
    }
  };

  const bucketKey = (kind: LimitKind, key: string): string => {
    if (key === '') throw new TypeError(`empty ${kind} rate-limit key`);
    switch (kind) {
      case 'ip':
        return clientKey(key).ip;
      case 'subnet':
        return key.includes('/') ? key.toLowerCase() : clientKey(key).subnet;
      case 'partner':
        return partnerKey(key);
      case 'principal':
      case 'tenant':
        return key;
    }
  };

  /** Consumes and returns the wait in seconds when the bucket is exhausted, else undefined. */
  const take = async (kind: LimitKind, key: string, points: number): Promise<number | undefined> => {
    try {
      await limiterFor(kind).consume(key, points);
      return undefined;
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        logger.debug({ limit: kind }, 'rate limit exceeded');
        return err.msBeforeNext / 1000;
      }
      throw err;
    }
  };

  return {
    async consume(kind, key, points = 1) {
      if (!Number.isInteger(points) || points < 1)
        throw new RangeError(`points must be a positive integer, got ${points}`);
      const wait = await take(kind, bucketKey(kind, key), points);
      if (wait !== undefined) throw rateLimited(wait);
    },

    async consumeClient(ip) {
      const keys = clientKey(ip);
      // Both buckets are charged even when one is already empty: the subnet budget counts every
      // request from the subnet, so a client cannot save subnet budget by hitting its own ip limit.
      const waits = await Promise.all([take('ip', keys.ip, 1), take('subnet', keys.subnet, 1)]);
      const exhausted = waits.filter((w): w is number => w !== undefined);
      if (exhausted.length > 0) throw rateLimited(Math.max(...exhausted));
    },

    async close() {
      if (redis !== undefined) await closeRateLimitRedis(redis);
    },
  };
}

/**
 * One bucket kind: in memory, or in Redis with an in-memory insurance limiter of the same budget.
 * Exported for other throttles (sign-in) so every bucket in Parley behaves alike in an outage.
 */
export function makeLimiter(
  budget: RateBudget,
  keyPrefix: string,
  redis: Redis | undefined,
): RateLimiterAbstract {
  const opts = { points: budget.points, duration: budget.durationSec, keyPrefix };
  if (redis === undefined) return new RateLimiterMemory(opts);
  return new RateLimiterRedis({
    ...opts,
    storeClient: redis,
    // ioredis is not the `redis` package; rate-limiter-flexible picks the ioredis call style.
    useRedisPackage: false,
    // Go straight to the insurance limiter while disconnected instead of failing a command.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(opts),
  });
}

/**
 * Partner domains are compared case-insensitively (RFC 4343) and without the root label's
 * trailing dot; internationalised names are keyed by their A-label (RFC 5891) so the Unicode and
 * punycode spellings share a bucket.
 */
function partnerKey(domain: string): string {
  const trimmed = domain.trim().replace(/\.$/, '').toLowerCase();
  const ascii = domainToASCII(trimmed);
  return ascii === '' ? trimmed : ascii;
}
