/**
 * Test support for the sign-in credentials tests: tenant and user rows written straight into a
 * migrated database, TOTP codes computed independently with otpauth, a recording audit log, and a
 * wait that keeps a test from straddling a TOTP step boundary.
 * Only test files import this module.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import type { AuditEntry, AuditLog } from '../../audit/audit.types.ts';
import type { Database } from '../../platform/db/database.ts';
import type { SignInPolicy } from '../../directory/directory.types.ts';

export async function insertTenant(
  database: Database,
  policy: SignInPolicy = { requireMfa: false, allowedNetworks: [] },
): Promise<string> {
  const id = randomUUID();
  await database.db
    .insertInto('tenants')
    .values({ id, display_name: 'Contoso', sign_in_policy: JSON.stringify(policy), created_at: Date.now() })
    .execute();
  return id;
}

export async function insertUser(
  database: Database,
  tenantId: string,
  options: { upn?: string; passwordHash?: string | null; enabled?: boolean } = {},
): Promise<{ id: string; upn: string }> {
  const id = randomUUID();
  const upn = options.upn ?? `u-${id.slice(0, 8)}@contoso.test`;
  const now = Date.now();
  await database.db
    .insertInto('users')
    .values({
      id,
      tenant_id: tenantId,
      user_principal_name: upn,
      mail: null,
      display_name: 'Test User',
      given_name: null,
      surname: null,
      job_title: null,
      department: null,
      office_location: null,
      business_phones: '[]',
      mobile_phone: null,
      time_zone: null,
      preferred_language: null,
      user_type: 'Member',
      account_enabled: options.enabled === false ? 0 : 1,
      password_hash: options.passwordHash ?? null,
      password_changed_at: null,
      sessions_valid_after: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, upn };
}

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

/** An AuditLog that keeps its entries for assertions. */
export function recordingAudit(): AuditLog & { readonly entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    record(entry) {
      entries.push(entry);
      return Promise.resolve();
    },
  };
}
