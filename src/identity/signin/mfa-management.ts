/**
 * Managing one's own second factors: enrolment (during sign-in when the tenant requires MFA, or
 * later from the account page), removal and new recovery codes. Removal and new codes ask for a
 * current code first, so a stolen session alone cannot take the factor away or read fresh codes.
 * Every change is audited.
 */
import { conflict } from '../../platform/errors/app-error.ts';
import type { AuthenticationMethods, TotpEnrolment } from './mfa.service.ts';
import { checkSecondFactor, type SecondFactorDeps, type SecondFactorFailure } from './second-factor.ts';
import { recordSignIn } from './signin-audit.ts';

export interface MfaManagementDeps extends SecondFactorDeps {
  /** Issuer label authenticator apps show next to the account name. */
  readonly totpIssuer: string;
}

/** A change that needs a current code: what it returns, or why the code was refused. */
export type CodeGuarded<T> = { readonly kind: 'ok'; readonly value: T } | SecondFactorFailure;

export interface CodeGuardedInput {
  readonly userId: string;
  /** A current TOTP code or an unused recovery code. */
  readonly code: string;
  readonly ip: string;
}

export interface MfaManagement {
  authenticationMethods(userId: string): Promise<AuthenticationMethods>;
  /** Starts TOTP enrolment; 409 conflict when an authenticator is already registered. */
  beginTotpEnrolment(userId: string, accountName: string): Promise<TotpEnrolment>;
  /** Confirms with a first code; returns the recovery codes (shown once) or undefined for a wrong code. */
  confirmTotpEnrolment(userId: string, code: string, ip?: string): Promise<readonly string[] | undefined>;
  /** Removes the authenticator and its recovery codes; 409 conflict when there is none. */
  removeTotp(input: CodeGuardedInput): Promise<CodeGuarded<null>>;
  /** Replaces the recovery codes; 409 conflict without an authenticator. */
  regenerateRecoveryCodes(input: CodeGuardedInput): Promise<CodeGuarded<readonly string[]>>;
}

export function createMfaManagement(deps: MfaManagementDeps): MfaManagement {
  const { mfa, audit } = deps;

  /** Checks the code for `action` on an account that has an authenticator. */
  const guard = async (input: CodeGuardedInput, action: 'mfa.removed' | 'mfa.recovery_codes_regenerated') => {
    if (!(await mfa.hasConfirmedTotp(input.userId))) throw conflict('No authenticator app is registered.');
    const tenantId = await mfa.tenantOf(input.userId);
    const check = await checkSecondFactor(deps, { ...input, tenantId, action });
    return { check, tenantId };
  };

  return {
    authenticationMethods: (userId) => mfa.methods(userId),

    beginTotpEnrolment: (userId, accountName) => mfa.beginEnrolment(userId, deps.totpIssuer, accountName),

    async confirmTotpEnrolment(userId, code, ip) {
      const codes = await mfa.confirmEnrolment(userId, code);
      await recordSignIn(audit, {
        action: 'mfa.enrolled',
        outcome: codes === undefined ? 'failure' : 'success',
        tenantId: await mfa.tenantOf(userId),
        userId,
        ip,
        ...(codes === undefined ? { reason: 'invalid_code' } : { details: { method: 'totp' } }),
      });
      return codes;
    },

    async removeTotp(input) {
      const { check, tenantId } = await guard(input, 'mfa.removed');
      if (check.kind === 'failed') return check;
      await mfa.removeMfa(input.userId);
      await recordSignIn(audit, {
        action: 'mfa.removed',
        outcome: 'success',
        tenantId,
        userId: input.userId,
        ip: input.ip,
        details: { method: 'totp' },
      });
      return { kind: 'ok', value: null };
    },

    async regenerateRecoveryCodes(input) {
      const { check, tenantId } = await guard(input, 'mfa.recovery_codes_regenerated');
      if (check.kind === 'failed') return check;
      const codes = await mfa.regenerateRecoveryCodes(input.userId);
      await recordSignIn(audit, {
        action: 'mfa.recovery_codes_regenerated',
        outcome: 'success',
        tenantId,
        userId: input.userId,
        ip: input.ip,
        details: { count: codes.length },
      });
      return { kind: 'ok', value: codes };
    },
  };
}
