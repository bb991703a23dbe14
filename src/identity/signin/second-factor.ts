/**
 * Checking a second factor (a TOTP code or a recovery code) under the sign-in throttle, for the
 * sign-in step and for the self-service changes that ask for a current code. A 6-digit code
 * space falls to guessing without a limit, so the account key here (`mfa:<user id>`) gets the
 * same doubling locks as passwords, and the client address budgets apply too.
 */
import type { AuditLog } from '../../audit/audit.types.ts';
import type { MfaService } from './mfa.service.ts';
import { recordSignIn, type SignInAction } from './signin-audit.ts';
import type { SignInThrottle } from './signin-throttle.ts';

export interface SecondFactorDeps {
  readonly mfa: MfaService;
  readonly throttle: SignInThrottle;
  readonly audit: AuditLog;
}

export interface SecondFactorFailure {
  readonly kind: 'failed';
  readonly code: 'invalid_code' | 'signin_throttled';
  readonly retryAfterSec?: number;
}

export type SecondFactorCheck =
  { readonly kind: 'ok'; readonly method: 'totp' | 'recovery_code' } | SecondFactorFailure;

export interface SecondFactorInput {
  readonly userId: string;
  readonly tenantId: string | undefined;
  readonly code: string;
  readonly ip: string;
  /** What the code is for: failures are audited under this action. */
  readonly action: SignInAction;
}

/**
 * Throttles, verifies and audits the failures (and any recovery code spent); the caller audits
 * the success of what the code was for.
 */
export async function checkSecondFactor(
  deps: SecondFactorDeps,
  input: SecondFactorInput,
): Promise<SecondFactorCheck> {
  const { userId, tenantId, ip } = input;
  const context = { account: `mfa:${userId}`, ip };
  const decision = await deps.throttle.check(context);
  if (!decision.allowed) {
    await recordSignIn(deps.audit, {
      action: 'signin.throttled',
      outcome: 'failure',
      tenantId,
      userId,
      ip,
      reason: 'signin_throttled',
      details: { step: input.action, limit: decision.limit, retryAfterSec: decision.retryAfterSec },
    });
    return { kind: 'failed', code: 'signin_throttled', retryAfterSec: decision.retryAfterSec };
  }
  const result = await deps.mfa.verify(userId, input.code);
  if (!result.ok) {
    await deps.throttle.recordFailure(context);
    await recordSignIn(deps.audit, {
      action: input.action,
      outcome: 'failure',
      tenantId,
      userId,
      ip,
      reason: 'invalid_code',
    });
    return { kind: 'failed', code: 'invalid_code' };
  }
  await deps.throttle.recordSuccess(context);
  if (result.method === 'recovery_code') {
    const remaining = (await deps.mfa.methods(userId)).recoveryCodesRemaining;
    await recordSignIn(deps.audit, {
      action: 'mfa.recovery_code_used',
      outcome: 'success',
      tenantId,
      userId,
      ip,
      details: { remaining },
    });
  }
  return { kind: 'ok', method: result.method };
}
