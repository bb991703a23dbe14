/**
 * The audit records of sign-in and MFA management. The actor is the account's user when it is
 * known and `anonymous` otherwise; user names of unknown accounts, passwords and codes never
 * appear (audit.types.ts), only ids, reasons and counts.
 */
import type { AuditEntry, AuditLog } from '../../audit/audit.types.ts';

export type SignInAction =
  | 'signin.password'
  | 'signin.mfa'
  | 'signin.throttled'
  | 'mfa.enrolled'
  | 'mfa.removed'
  | 'mfa.recovery_code_used'
  | 'mfa.recovery_codes_regenerated';

export interface SignInAuditEvent {
  readonly action: SignInAction;
  readonly outcome: 'success' | 'failure';
  readonly tenantId: string | undefined;
  /** The account concerned, when it exists. */
  readonly userId: string | undefined;
  readonly ip: string | undefined;
  readonly reason?: string;
  readonly details?: AuditEntry['details'];
}

export function recordSignIn(audit: AuditLog, event: SignInAuditEvent): Promise<void> {
  const user = event.userId;
  return audit.record({
    tenantId: event.tenantId ?? null,
    actor: user === undefined ? { type: 'anonymous' } : { type: 'user', id: user },
    ...(event.ip === undefined ? {} : { sourceIp: event.ip }),
    action: event.action,
    ...(user === undefined ? {} : { target: { type: 'user', id: user } }),
    outcome: event.outcome,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    ...(event.details === undefined ? {} : { details: event.details }),
  });
}
