/**
 * First start: when the installation has no tenant yet, create one (PARLEY_BOOTSTRAP_ORGANIZATION,
 * domain PARLEY_BOOTSTRAP_DOMAIN) with an administrator `admin@<domain>` holding the global
 * administrator role and every licence, and a random password that is printed once for the
 * operator and never logged.
 *
 * Everything is written in one transaction, so a crash leaves either nothing or a usable
 * tenant. Two nodes starting together both find no tenant; the second one's insert hits the
 * domain's primary key (or SQLite's single writer) and it steps aside.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit.types.ts';
import type { Config } from '../config/config.ts';
import { createSecretHasher, type SecretHasher } from '../identity/credentials/secret-hasher.ts';
import type { Database } from '../platform/db/database.ts';
import type { Outbox } from '../platform/events/outbox.ts';
import type { Logger } from '../platform/logging/logger.ts';
import { insertRole, insertUserSku } from './access.store.ts';
import { DIRECTORY_TOPICS, type UserEvent } from './directory.events.ts';
import { SKU_CATALOGUE } from './licences.ts';
import { selectFirstTenant } from './tenant.store.ts';
import { normaliseDomainName, writeNewTenant } from './tenant.service.ts';
import { insertUser } from './user.store.ts';
import { newUserRow } from './user.service.ts';

export interface BootstrapDeps {
  readonly database: Database;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly config: Pick<Config, 'identity' | 'publicUrl' | 'port'>;
  readonly audit: AuditLog;
  /** Shows the operator how to sign in; called at most once, and only by the node that created the tenant. */
  readonly print: (text: string) => void;
  /** Where users reach Parley; defaults to PARLEY_PUBLIC_URL or https://localhost:<port>. */
  readonly origin?: string;
  readonly hasher?: SecretHasher;
  readonly now?: () => number;
}

export type BootstrapResult =
  | { readonly created: true; readonly tenantId: string; readonly adminUserId: string }
  | { readonly created: false; readonly tenantId: string | undefined };

/** Letters and digits without look-alikes (0/O, 1/l/I), for a password typed from a terminal. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const PASSWORD_LENGTH = 20;

/** 20 characters from 56 symbols: about 116 bits, drawn without modulo bias. */
export function generateInitialPassword(): string {
  const pick = () => PASSWORD_ALPHABET.charAt(randomInt(PASSWORD_ALPHABET.length));
  return Array.from({ length: PASSWORD_LENGTH }, pick).join('');
}

export async function bootstrapDirectory(deps: BootstrapDeps): Promise<BootstrapResult> {
  const existing = await selectFirstTenant(deps.database.db);
  if (existing !== undefined) return { created: false, tenantId: existing.id };

  const now = deps.now ?? Date.now;
  const hasher = deps.hasher ?? createSecretHasher();
  const domain = normaliseDomainName(deps.config.identity.bootstrapDomain);
  const upn = `admin@${domain}`;
  const password = generateInitialPassword();
  const passwordHash = await hasher.hash(password);
  const tenantId = randomUUID();
  const adminUserId = randomUUID();

  try {
    await deps.outbox.transaction(async (trx, events) => {
      // Checked again inside the transaction: another node may have finished meanwhile.
      if ((await selectFirstTenant(trx)) !== undefined) throw new LostRace();
      const at = now();
      await writeNewTenant(trx, events, {
        id: tenantId,
        displayName: deps.config.identity.bootstrapOrganization,
        domain,
        at,
      });
      const input = { userPrincipalName: upn, displayName: 'Administrator' };
      await insertUser(trx, newUserRow({ id: adminUserId, tenantId, upn, input, passwordHash, at }));
      await insertRole(trx, tenantId, adminUserId, 'globalAdministrator', at);
      for (const sku of SKU_CATALOGUE) await insertUserSku(trx, adminUserId, sku.skuId, at);
      events.record<UserEvent>(DIRECTORY_TOPICS.userCreated, { tenantId, userId: adminUserId });
    });
  } catch (error) {
    // Whatever failed, if a tenant exists now another node created it: this one does nothing.
    const winner = await selectFirstTenant(deps.database.db);
    if (winner !== undefined) {
      deps.logger.info({ tenantId: winner.id }, 'another node created the first tenant');
      return { created: false, tenantId: winner.id };
    }
    throw error;
  }

  await recordBootstrap(deps.audit, tenantId, adminUserId);
  deps.logger.info({ tenantId, userId: adminUserId }, 'created the first tenant and its administrator');
  const origin = deps.origin ?? deps.config.publicUrl ?? `https://localhost:${deps.config.port}`;
  deps.print(
    [
      '',
      'Parley created its first organisation. Sign in as its administrator:',
      `  URL:       ${origin}`,
      `  User:      ${upn}`,
      `  Password:  ${password}`,
      'This password is shown only once: change it after signing in.',
      '',
    ].join('\n'),
  );
  return { created: true, tenantId, adminUserId };
}

class LostRace extends Error {}

async function recordBootstrap(audit: AuditLog, tenantId: string, userId: string): Promise<void> {
  const base = { tenantId, actor: { type: 'system' as const }, outcome: 'success' as const };
  await audit.record({ ...base, action: 'tenant.created', target: { type: 'tenant', id: tenantId } });
  await audit.record({ ...base, action: 'user.created', target: { type: 'user', id: userId } });
  await audit.record({
    ...base,
    action: 'role.assigned',
    target: { type: 'user', id: userId },
    details: { role: 'globalAdministrator' },
  });
  for (const sku of SKU_CATALOGUE)
    await audit.record({
      ...base,
      action: 'licence.assigned',
      target: { type: 'user', id: userId },
      details: { skuId: sku.skuId },
    });
}
