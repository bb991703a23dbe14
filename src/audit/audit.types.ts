/**
 * What modules hand to the audit log. The log is append-only and hash-chained; it records who did
 * what to what, from where, and whether it worked. Never put tokens, passwords, secrets or codes
 * in any field: `details` is for ids, counts and reasons.
 */

export type AuditActorType = 'user' | 'app' | 'bot' | 'partner' | 'system' | 'anonymous';

export interface AuditEntry {
  /** Tenant the action concerns; null for installation-wide events. */
  readonly tenantId: string | null;
  readonly actor: { readonly type: AuditActorType; readonly id?: string };
  /** Client address as the platform resolved it (trusted proxies only). */
  readonly sourceIp?: string;
  /** Dotted, stable action name, e.g. `signin.password`, `user.disabled`, `token.rejected`. */
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string };
  readonly outcome: 'success' | 'failure';
  /** Machine-readable reason for failures (`invalid_credentials`, `mfa_required`, …). */
  readonly reason?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface AuditLog {
  /** Appends one record; resolves once it is durable. */
  record(entry: AuditEntry): Promise<void>;
}
