/**
 * Policies: every tenant has a default of each kind; admins edit it, create named policies and
 * assign them to users. Settings are checked against the kind's schema on every write.
 */
import { randomUUID } from 'node:crypto';
import Value from 'typebox/value';
import { notFound, invalidRequest } from '../platform/errors/app-error.ts';
import { DIRECTORY_TOPICS, type PolicyEvent } from './directory.events.ts';
import {
  DEFAULT_POLICY_SETTINGS,
  POLICY_SCHEMAS,
  validatePolicySettings,
  type PolicyKind,
  type PolicySettings,
} from './policies.schema.ts';
import {
  deleteAssignment,
  insertPolicy,
  selectAssignedPolicy,
  selectDefaultPolicy,
  selectPolicies,
  selectPolicy,
  updatePolicySettings,
  upsertAssignment,
  type PolicyRecord,
} from './policy.store.ts';
import { audited, uniquely, type Actor, type DirectoryDeps } from './service-support.ts';
import { selectUserById, selectUserInTenant } from './user.store.ts';

export type { PolicyRecord } from './policy.store.ts';

export interface PolicyService {
  listPolicies(tenantId: string, kind?: PolicyKind): Promise<readonly PolicyRecord[]>;
  getPolicy(tenantId: string, policyId: string): Promise<PolicyRecord>;
  getDefaultPolicy(tenantId: string, kind: PolicyKind): Promise<PolicyRecord>;
  createPolicy(
    tenantId: string,
    kind: PolicyKind,
    name: string,
    settings: unknown,
    actor: Actor,
  ): Promise<PolicyRecord>;
  updatePolicy(tenantId: string, policyId: string, settings: unknown, actor: Actor): Promise<PolicyRecord>;
  /** Assigns a named policy of its kind to a user; `null` returns the user to the default. */
  assignPolicy(
    tenantId: string,
    userId: string,
    kind: PolicyKind,
    policyId: string | null,
    actor: Actor,
  ): Promise<void>;
  /** The settings that apply to a user: the assigned policy's, else the tenant default's. */
  effectivePolicy<K extends PolicyKind>(userId: string, kind: K): Promise<PolicySettings[K]>;
  /** The tenant default's settings (for callers without a user, such as anonymous joiners). */
  tenantPolicy<K extends PolicyKind>(tenantId: string, kind: K): Promise<PolicySettings[K]>;
}

export function createPolicyService(deps: DirectoryDeps): PolicyService {
  const now = deps.now ?? Date.now;
  const db = deps.database.db;

  async function requirePolicy(tenantId: string, policyId: string): Promise<PolicyRecord> {
    const policy = await selectPolicy(db, tenantId, policyId);
    if (policy === undefined) throw notFound('The policy does not exist.');
    return policy;
  }

  async function requireDefault(tenantId: string, kind: PolicyKind): Promise<PolicyRecord> {
    const policy = await selectDefaultPolicy(db, tenantId, kind);
    if (policy === undefined) throw notFound('The tenant has no default policy of this kind.');
    return policy;
  }

  /** Stored settings that no longer match the schema fall back to the built-in defaults, loudly. */
  function settingsOf<K extends PolicyKind>(kind: K, policy: PolicyRecord | undefined): PolicySettings[K] {
    if (policy !== undefined && Value.Check(POLICY_SCHEMAS[kind], policy.settings))
      return policy.settings as PolicySettings[K];
    if (policy !== undefined)
      deps.logger.warn(
        { policyId: policy.id, kind },
        'stored policy settings do not match the schema; using defaults',
      );
    return DEFAULT_POLICY_SETTINGS[kind];
  }

  return {
    listPolicies: (tenantId, kind) => selectPolicies(db, tenantId, kind),
    getPolicy: requirePolicy,
    getDefaultPolicy: requireDefault,

    createPolicy(tenantId, kind, name, settings, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'policy.created',
          target: (p) => ({ type: 'policy', id: p.id }),
          details: { kind },
        },
        async () => {
          const valid = validatePolicySettings(kind, settings);
          if (name.trim() === '')
            throw invalidRequest('The name is empty.', [{ path: '/name', message: 'must not be empty' }]);
          const policy: PolicyRecord = {
            id: randomUUID(),
            tenantId,
            kind,
            name: name.trim(),
            isDefault: false,
            settings: valid,
            updatedAt: now(),
          };
          return uniquely('A policy of this kind already has this name.', () =>
            deps.outbox.transaction(async (trx, events) => {
              await insertPolicy(trx, policy);
              events.record<PolicyEvent>(DIRECTORY_TOPICS.policyUpdated, {
                tenantId,
                kind,
                policyId: policy.id,
              });
              return policy;
            }),
          );
        },
      );
    },

    updatePolicy(tenantId, policyId, settings, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'policy.updated', target: { type: 'policy', id: policyId } },
        async () => {
          const policy = await requirePolicy(tenantId, policyId);
          const valid = validatePolicySettings(policy.kind, settings);
          const at = now();
          await deps.outbox.transaction(async (trx, events) => {
            await updatePolicySettings(trx, policyId, valid, at);
            events.record<PolicyEvent>(DIRECTORY_TOPICS.policyUpdated, {
              tenantId,
              kind: policy.kind,
              policyId,
            });
          });
          return { ...policy, settings: valid, updatedAt: at };
        },
      );
    },

    assignPolicy(tenantId, userId, kind, policyId, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: policyId === null ? 'policy.unassigned' : 'policy.assigned',
          target: { type: 'user', id: userId },
          details: { kind, policyId },
        },
        async () => {
          if ((await selectUserInTenant(db, tenantId, userId)) === undefined)
            throw notFound('The user does not exist.');
          if (policyId === null) {
            const fallback = await requireDefault(tenantId, kind);
            await deps.outbox.transaction(async (trx, events) => {
              if (await deleteAssignment(trx, userId, kind))
                events.record<PolicyEvent>(DIRECTORY_TOPICS.policyUpdated, {
                  tenantId,
                  kind,
                  policyId: fallback.id,
                  userId,
                });
            });
            return;
          }
          const policy = await requirePolicy(tenantId, policyId);
          if (policy.kind !== kind)
            throw invalidRequest('The policy is of another kind.', [
              { path: '/policyId', message: `must be a ${kind} policy` },
            ]);
          await deps.outbox.transaction(async (trx, events) => {
            // Assigning the default is the same as having no assignment.
            if (policy.isDefault) await deleteAssignment(trx, userId, kind);
            else await upsertAssignment(trx, userId, kind, policy.id, now());
            events.record<PolicyEvent>(DIRECTORY_TOPICS.policyUpdated, {
              tenantId,
              kind,
              policyId: policy.id,
              userId,
            });
          });
        },
      );
    },

    async effectivePolicy(userId, kind) {
      const assigned = await selectAssignedPolicy(db, userId, kind);
      if (assigned !== undefined) return settingsOf(kind, assigned);
      const user = await selectUserById(db, userId);
      if (user === undefined) throw notFound('The user does not exist.');
      return settingsOf(kind, await selectDefaultPolicy(db, user.tenantId, kind));
    },

    async tenantPolicy(tenantId, kind) {
      return settingsOf(kind, await selectDefaultPolicy(db, tenantId, kind));
    },
  };
}
