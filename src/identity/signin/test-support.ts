/**
 * Test support for the sign-in credentials tests: accounts made through the directory's own
 * services (test/factories), TOTP codes computed independently with otpauth, a wait that keeps a
 * test from straddling a TOTP step boundary, and the sign-in flow assembled over a database.
 * Only test files import this module.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import type { Database } from '../../platform/db/database.ts';
import type { DirectoryCredentials, SignInPolicy, User } from '../../directory/directory.types.ts';
import { SYSTEM_ACTOR } from '../../directory/service-support.ts';
import {
  createTenantWithAdmin,
  createUser,
  directoryFor,
  recordingAudit,
  type RecordingAudit,
} from '../../../test/factories/directory.ts';
import { createDirectoryReader } from '../../directory/directory.reader.ts';
import { createUserService } from '../../directory/user.service.ts';
import { createSecretHasher, type SecretHasher } from '../credentials/secret-hasher.ts';
import { createSealer } from '../../platform/crypto/sealer.ts';
import { Outbox } from '../../platform/events/outbox.ts';
import { MemoryEventBus } from '../../platform/events/memory-bus.ts';
import { testConfig } from '../../platform/ratelimit/test-support.ts';
import { testLogger } from '../../../test/harness/engines.ts';
import { createMfaService, type MfaService } from './mfa.service.ts';
import { createSignInFlow, type SignInFlow } from './signin-flow.ts';
import { createSignInThrottle, type SignInThrottle, type SignInThrottleSettings } from './signin-throttle.ts';

/** The RFC 6238 code for `secret` at `offsetSteps` from now, computed by otpauth itself. */
export function codeAt(secretBase32: string, offsetSteps = 0): string {
  const totp = new TOTP({
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/**
 * Waits, when needed, until at least `marginSec` seconds remain in the current 30-second step, so
 * "the previous step" and "the next step" mean the same thing to the test and to the verifier.
 */
export async function awayFromStepEdge(marginSec = 6): Promise<void> {
  const intoStep = (Date.now() / 1000) % 30;
  if (30 - intoStep < marginSec) await sleep((30 - intoStep) * 1000 + 100);
}

/** A hasher with a low scrypt cost that counts how many verifications (real or dummy) it ran. */
export function countingHasher(): SecretHasher & { readonly verifications: () => number } {
  const inner = createSecretHasher({ N: 2 ** 12, r: 8, p: 1 });
  let count = 0;
  return {
    hash: (secret) => inner.hash(secret),
    needsRehash: (stored) => inner.needsRehash(stored),
    verify(stored, secret) {
      count++;
      return inner.verify(stored, secret);
    },
    dummyVerify(secret) {
      count++;
      return inner.dummyVerify(secret);
    },
    verifications: () => count,
  };
}

/** The directory's own password check (checkPassword) over `database`. */
export function directoryCredentials(
  database: Database,
  hasher: SecretHasher = countingHasher(),
): DirectoryCredentials {
  const logger = testLogger();
  return createUserService({
    database,
    outbox: new Outbox(database, new MemoryEventBus({ logger }), logger, 'test'),
    audit: recordingAudit(),
    hasher,
    logger,
  });
}

export interface SignInRig {
  readonly flow: SignInFlow;
  readonly mfa: MfaService;
  readonly throttle: SignInThrottle;
  readonly audit: RecordingAudit;
  readonly hasher: ReturnType<typeof countingHasher>;
}

/**
 * The sign-in flow over a migrated database with the directory's real password check and
 * reader, an in-memory throttle with the given settings and a recording audit log.
 */
export async function signInRig(
  database: Database,
  settings: Partial<SignInThrottleSettings> = {},
): Promise<SignInRig> {
  const logger = testLogger();
  const audit = recordingAudit();
  const hasher = countingHasher();
  const credentials = directoryCredentials(database, hasher);
  const mfa = createMfaService({
    database,
    sealer: createSealer(randomBytes(32)),
    recoveryCodeKey: randomBytes(32),
  });
  const throttle = await createSignInThrottle({
    config: testConfig({}),
    logger,
    accountKeySecret: randomBytes(32),
    settings,
  });
  const flow = createSignInFlow({
    credentials,
    reader: createDirectoryReader(database),
    mfa,
    throttle,
    audit,
  });
  return { flow, mfa, throttle, audit, hasher };
}

export interface TestAccount {
  readonly id: string;
  readonly upn: string;
  readonly tenantId: string;
  readonly user: User;
  /** Null for an account without a password. */
  readonly password: string | null;
}

/**
 * A user in a new tenant with the given sign-in policy, made through the directory's services.
 * `password: null` makes an account without a password; `enabled: false` a disabled one.
 */
export async function createAccount(
  database: Database,
  options: { policy?: SignInPolicy; enabled?: boolean; password?: string | null } = {},
): Promise<TestAccount> {
  const { tenant } = await createTenantWithAdmin(database);
  if (options.policy !== undefined)
    await directoryFor(database).service.tenants.updateSignInPolicy(tenant.id, options.policy, SYSTEM_ACTOR);
  const { user, password } = await createUser(database, tenant.id, {
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.enabled === false ? { accountEnabled: false } : {}),
  });
  return { id: user.id, upn: user.userPrincipalName, tenantId: tenant.id, user, password };
}
