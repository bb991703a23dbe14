/** Tenants, their domains and their sign-in policy. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../platform/db/schema.ts';
import { invalidRequest, notFound } from '../platform/errors/app-error.ts';
import type { EventRecorder } from '../platform/events/outbox.ts';
import type { SignInPolicy, Tenant, TenantDomain } from './directory.types.ts';
import { DIRECTORY_TOPICS, type TenantEvent } from './directory.events.ts';
import { DEFAULT_SEATS, SKU_CATALOGUE } from './licences.ts';
import { DEFAULT_POLICY_SETTINGS, POLICY_KINDS } from './policies.schema.ts';
import { insertPolicy } from './policy.store.ts';
import { upsertSeats } from './access.store.ts';
import { audited, uniquely, type Actor, type DirectoryDeps } from './service-support.ts';
import { DEFAULT_SIGN_IN_POLICY, validateSignInPolicy } from './sign-in-policy.ts';
import {
  insertDomain,
  insertTenant,
  markDomainVerified,
  selectDomain,
  selectDomains,
  selectTenant,
  updateTenantSignInPolicy,
} from './tenant.store.ts';

/** DNS host names (RFC 1123 labels), lower case, at least two labels. */
const DOMAIN_NAME =
  /^(?=.{4,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function normaliseDomainName(name: string): string {
  const lower = name.trim().toLowerCase();
  if (!DOMAIN_NAME.test(lower))
    throw invalidRequest('The domain name is not valid.', [{ path: '/name', message: 'must be a DNS name' }]);
  return lower;
}

/** A domain as admins see it: with the code to publish in DNS until it is verified. */
export interface AdminDomain extends TenantDomain {
  readonly verificationCode: string;
}

export interface TenantService {
  /** Creates a tenant with a verified default domain, default policies of every kind and seats. */
  createTenant(input: { displayName: string; domain: string }, actor: Actor): Promise<Tenant>;
  listDomains(tenantId: string): Promise<readonly AdminDomain[]>;
  /** Adds an unverified domain; users cannot use it until it is verified. */
  addDomain(tenantId: string, name: string, actor: Actor): Promise<AdminDomain>;
  /** Marks a domain verified (an admin's attestation; Parley does not query DNS). */
  verifyDomain(tenantId: string, name: string, actor: Actor): Promise<AdminDomain>;
  getSignInPolicy(tenantId: string): Promise<SignInPolicy>;
  updateSignInPolicy(tenantId: string, policy: SignInPolicy, actor: Actor): Promise<SignInPolicy>;
}

const verificationCode = () => `parley-verification=${randomBytes(18).toString('base64url')}`;

/**
 * Writes a tenant with its verified default domain, a default policy of every kind and the
 * default seats of every SKU, inside the caller's transaction. `domain` must be normalised.
 */
export async function writeNewTenant(
  trx: Kysely<DatabaseSchema>,
  events: EventRecorder,
  input: { id: string; displayName: string; domain: string; at: number },
): Promise<Tenant> {
  const { id, at } = input;
  const tenant: Tenant = {
    id,
    displayName: input.displayName,
    signInPolicy: DEFAULT_SIGN_IN_POLICY,
    createdAt: at,
  };
  await insertTenant(trx, tenant);
  await insertDomain(trx, {
    name: input.domain,
    tenantId: id,
    isVerified: true,
    isDefault: true,
    verificationCode: verificationCode(),
    createdAt: at,
  });
  for (const kind of POLICY_KINDS) {
    const settings = DEFAULT_POLICY_SETTINGS[kind];
    await insertPolicy(trx, {
      id: randomUUID(),
      tenantId: id,
      kind,
      name: 'Global',
      isDefault: true,
      settings,
      updatedAt: at,
    });
  }
  for (const sku of SKU_CATALOGUE) await upsertSeats(trx, id, sku.skuId, DEFAULT_SEATS);
  events.record<TenantEvent>(DIRECTORY_TOPICS.tenantCreated, { tenantId: id });
  return tenant;
}

export function createTenantService(deps: DirectoryDeps): TenantService {
  const now = deps.now ?? Date.now;
  const db = deps.database.db;
  async function requireTenant(tenantId: string): Promise<Tenant> {
    const tenant = await selectTenant(db, tenantId);
    if (tenant === undefined) throw notFound('The tenant does not exist.');
    return tenant;
  }

  async function requireDomain(tenantId: string, name: string): Promise<AdminDomain> {
    const domain = await selectDomain(db, name.toLowerCase());
    if (domain?.tenantId !== tenantId) throw notFound('The domain does not exist.');
    return domain;
  }

  return {
    createTenant({ displayName, domain }, actor) {
      const id = randomUUID();
      return audited(
        deps.audit,
        { actor, tenantId: id, action: 'tenant.created', target: { type: 'tenant', id } },
        async () => {
          const name = normaliseDomainName(domain);
          return uniquely('The domain belongs to another tenant.', () =>
            deps.outbox.transaction((trx, events) =>
              writeNewTenant(trx, events, { id, displayName, domain: name, at: now() }),
            ),
          );
        },
      );
    },

    listDomains: (tenantId) => selectDomains(db, tenantId),

    async addDomain(tenantId, rawName, actor) {
      await requireTenant(tenantId);
      const name = normaliseDomainName(rawName);
      return audited(
        deps.audit,
        { actor, tenantId, action: 'domain.added', target: { type: 'domain', id: name } },
        () =>
          uniquely('The domain is already registered.', async () => {
            const domain = {
              name,
              tenantId,
              isVerified: false,
              isDefault: false,
              verificationCode: verificationCode(),
            };
            await insertDomain(db, { ...domain, createdAt: now() });
            return domain;
          }),
      );
    },

    verifyDomain(tenantId, rawName, actor) {
      const name = rawName.toLowerCase();
      return audited(
        deps.audit,
        { actor, tenantId, action: 'domain.verified', target: { type: 'domain', id: name } },
        async () => {
          const domain = await requireDomain(tenantId, name);
          await deps.outbox.transaction(async (trx, events) => {
            await markDomainVerified(trx, tenantId, name);
            events.record<TenantEvent>(DIRECTORY_TOPICS.tenantUpdated, { tenantId });
          });
          return { ...domain, isVerified: true };
        },
      );
    },

    async getSignInPolicy(tenantId) {
      return (await requireTenant(tenantId)).signInPolicy;
    },

    updateSignInPolicy(tenantId, policy, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'signin_policy.updated',
          target: { type: 'tenant', id: tenantId },
          details: (p) => ({ requireMfa: p.requireMfa, allowedNetworks: p.allowedNetworks.length }),
        },
        async () => {
          await requireTenant(tenantId);
          const valid = validateSignInPolicy(policy);
          await deps.outbox.transaction(async (trx, events) => {
            await updateTenantSignInPolicy(trx, tenantId, valid);
            events.record<TenantEvent>(DIRECTORY_TOPICS.tenantUpdated, { tenantId });
          });
          return valid;
        },
      );
    },
  };
}
