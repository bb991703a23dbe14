/**
 * The sign-in steps the OpenID provider's interaction routes drive: password, then a second
 * factor or TOTP enrolment when the user has one or the tenant requires it.
 *
 * No user enumeration (OWASP Authentication Cheat Sheet): an unknown user name, a wrong password,
 * a disabled account and an account of another tenant all answer `invalid_credentials`, and each
 * costs one scrypt verification (the directory's `checkPassword` runs a dummy verification for
 * unknown names), so neither the answer nor its timing tells them apart. Throttling is keyed by
 * the name typed, whether or not an account has it. The tenant's network policy is applied only
 * after the password is verified, so it too says nothing about names without the password.
 */
import type { AuditLog } from '../../audit/audit.types.ts';
import type { DirectoryCredentials, DirectoryReader, Tenant, User } from '../../directory/directory.types.ts';
import { isAddressAllowed } from '../../directory/sign-in-policy.ts';
import { normalizeAddress } from '../../platform/ratelimit/client-address.ts';
import type { SignInSteps } from '../oidc/sign-in-steps.ts';
import { createMfaManagement, type MfaManagement } from './mfa-management.ts';
import type { MfaService } from './mfa.service.ts';
import { checkSecondFactor, type SecondFactorFailure } from './second-factor.ts';
import { recordSignIn } from './signin-audit.ts';
import type { SignInThrottle } from './signin-throttle.ts';

export interface SignInFlowDeps {
  /** Password checks; the hash never leaves the directory. */
  readonly credentials: DirectoryCredentials;
  readonly reader: Pick<DirectoryReader, 'getTenant'>;
  readonly mfa: MfaService;
  readonly throttle: SignInThrottle;
  readonly audit: AuditLog;
  /** Issuer label shown in authenticator apps; defaults to `Parley`. */
  readonly totpIssuer?: string;
}

export interface PasswordInput {
  readonly upn: string;
  readonly password: string;
  /** Set when signing in at a tenant's own authority: the account must belong to that tenant. */
  readonly tenantId?: string;
  /** Client address as the platform resolved it (trusted proxies only). */
  readonly ip: string;
}

/** What is still owed after the password: nothing, a code, or enrolling an authenticator first. */
export type MfaRequirement = 'none' | 'required' | 'enrolment_required';

export type PasswordResult =
  | {
      readonly kind: 'ok';
      readonly user: User;
      readonly tenant: Tenant;
      readonly userId: string;
      readonly tenantId: string;
      readonly mfa: MfaRequirement;
      /** RFC 8176 authentication methods so far. */
      readonly amr: readonly ['pwd'];
    }
  | {
      readonly kind: 'failed';
      readonly code: 'invalid_credentials' | 'signin_throttled' | 'network_not_allowed';
      readonly retryAfterSec?: number;
    };

export interface SecondFactorInput {
  readonly userId: string;
  /** The code as typed: 6 digits, or a recovery code. */
  readonly code: string;
  readonly ip: string;
  /** The tenant of the sign-in, for the audit record; looked up when absent. */
  readonly tenantId?: string;
}

export type SecondFactorResult =
  | {
      readonly kind: 'ok';
      readonly method: 'totp' | 'recovery_code';
      /** RFC 8176: password, multiple factors, one-time password (a recovery code is one too). */
      readonly amr: readonly ['pwd', 'mfa', 'otp'];
    }
  | SecondFactorFailure;

/** The sign-in steps (as `SignInSteps` for the interaction routes) and self-service MFA management. */
export interface SignInFlow extends SignInSteps, MfaManagement {
  verifyPassword(input: PasswordInput): Promise<PasswordResult>;
  verifySecondFactor(input: SecondFactorInput): Promise<SecondFactorResult>;
  /** Confirms enrolment with a first code; the recovery codes (shown once), or undefined for a wrong code. */
  confirmTotpEnrolment(userId: string, code: string, ip?: string): Promise<readonly string[] | undefined>;
}

export function createSignInFlow(deps: SignInFlowDeps): SignInFlow {
  const { audit, throttle, mfa } = deps;
  const management = createMfaManagement({ mfa, throttle, audit, totpIssuer: deps.totpIssuer ?? 'Parley' });

  async function verifyPassword(input: PasswordInput): Promise<PasswordResult> {
    const upn = input.upn.trim().toLowerCase();
    const { ip } = input;
    const context = { account: `upn:${upn}`, ip };
    const audited = (userId: string | undefined, tenantId: string | undefined, reason?: string) =>
      recordSignIn(audit, {
        action: 'signin.password',
        outcome: reason === undefined ? 'success' : 'failure',
        tenantId,
        userId,
        ip,
        ...(reason === undefined ? {} : { reason }),
      });
    const invalid = { kind: 'failed', code: 'invalid_credentials' } as const;

    const decision = await throttle.check(context);
    if (!decision.allowed) {
      await recordSignIn(audit, {
        action: 'signin.throttled',
        outcome: 'failure',
        tenantId: input.tenantId,
        userId: undefined,
        ip,
        reason: 'signin_throttled',
        details: { step: 'signin.password', limit: decision.limit, retryAfterSec: decision.retryAfterSec },
      });
      return { kind: 'failed', code: 'signin_throttled', retryAfterSec: decision.retryAfterSec };
    }

    const check = await deps.credentials.checkPassword(upn, input.password);
    if (!check.ok) {
      await throttle.recordFailure(context);
      // The reason (disabled or not) goes to the audit log only, never to the client.
      await audited(check.userId, input.tenantId, check.reason);
      return invalid;
    }
    const user = check.user;
    if (input.tenantId !== undefined && user.tenantId !== input.tenantId) {
      await throttle.recordFailure(context);
      await audited(user.id, user.tenantId, 'wrong_tenant');
      return invalid;
    }
    const tenant = await deps.reader.getTenant(user.tenantId);
    if (tenant === undefined) throw new Error(`user ${user.id} has no tenant`);
    if (!networkAllowed(tenant, ip)) {
      // The password was right, but from here it does not sign in: no reset of the counters.
      await throttle.recordFailure(context);
      await audited(user.id, tenant.id, 'network_not_allowed');
      return { kind: 'failed', code: 'network_not_allowed' };
    }

    const hasTotp = await mfa.hasConfirmedTotp(user.id);
    const requirement: MfaRequirement = hasTotp
      ? 'required'
      : tenant.signInPolicy.requireMfa
        ? 'enrolment_required'
        : 'none';
    await throttle.recordSuccess(context);
    await recordSignIn(audit, {
      action: 'signin.password',
      outcome: 'success',
      tenantId: tenant.id,
      userId: user.id,
      ip,
      details: { mfa: requirement },
    });
    return {
      kind: 'ok',
      user,
      tenant,
      userId: user.id,
      tenantId: tenant.id,
      mfa: requirement,
      amr: ['pwd'],
    };
  }

  async function verifySecondFactor(input: SecondFactorInput): Promise<SecondFactorResult> {
    const tenantId = input.tenantId ?? (await mfa.tenantOf(input.userId));
    const check = await checkSecondFactor(
      { mfa, throttle, audit },
      { userId: input.userId, tenantId, code: input.code, ip: input.ip, action: 'signin.mfa' },
    );
    if (check.kind === 'failed') return check;
    await recordSignIn(audit, {
      action: 'signin.mfa',
      outcome: 'success',
      tenantId,
      userId: input.userId,
      ip: input.ip,
      details: { method: check.method },
    });
    return { kind: 'ok', method: check.method, amr: ['pwd', 'mfa', 'otp'] };
  }

  return { ...management, verifyPassword, verifySecondFactor };
}

/**
 * The tenant's allowed networks (conditional access by location). The address is normalised
 * first, so an IPv4 client seen on a dual-stack socket (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2)
 * matches IPv4 ranges; an address that does not parse is never inside a range.
 */
export function networkAllowed(tenant: Tenant, ip: string): boolean {
  if (tenant.signInPolicy.allowedNetworks.length === 0) return true;
  let address: string;
  try {
    address = normalizeAddress(ip);
  } catch {
    return false;
  }
  return isAddressAllowed(tenant.signInPolicy, address);
}
