/**
 * Licences (tenant seats, assignment with a seat check) and directory roles (with the rule that a
 * tenant keeps an enabled global administrator).
 */
import { invalidRequest, notFound, conflict } from '../platform/errors/app-error.ts';
import {
  countAssigned,
  deleteRole,
  deleteUserSku,
  insertRole,
  insertUserSku,
  selectSeats,
  selectUserSkus,
  upsertSeats,
} from './access.store.ts';
import { ADMIN_ROLES, type AdminRole, type User } from './directory.types.ts';
import { DIRECTORY_TOPICS, type UserEvent } from './directory.events.ts';
import { findSku, MAX_SEATS, SKU_CATALOGUE, type Sku } from './licences.ts';
import { assertNotLastGlobalAdmin } from './roles.ts';
import { audited, lockTenant, type Actor, type DirectoryDeps } from './service-support.ts';
import { selectUserById, selectUserInTenant } from './user.store.ts';

export interface TenantSku extends Sku {
  readonly seats: number;
  readonly assigned: number;
}

export interface AccessService {
  /** The catalogue with this tenant's seats and how many are assigned. */
  tenantLicences(tenantId: string): Promise<readonly TenantSku[]>;
  setSeats(tenantId: string, skuId: string, seats: number, actor: Actor): Promise<TenantSku>;
  /** Assigns a licence; 409 when every seat is taken. */
  assignLicence(tenantId: string, userId: string, skuId: string, actor: Actor): Promise<readonly string[]>;
  unassignLicence(tenantId: string, userId: string, skuId: string, actor: Actor): Promise<readonly string[]>;
  /** Whether the user holds the SKU (features gate on this, e.g. PARLEY_MEETINGS to schedule). */
  userHasLicence(userId: string, skuId: string): Promise<boolean>;
  assignRole(tenantId: string, userId: string, role: AdminRole, actor: Actor): Promise<void>;
  /** 409 when it would leave the tenant without an enabled global administrator. */
  removeRole(tenantId: string, userId: string, role: AdminRole, actor: Actor): Promise<void>;
}

export function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

export function createAccessService(deps: DirectoryDeps): AccessService {
  const now = deps.now ?? Date.now;
  const db = deps.database.db;
  const engine = deps.database.engine;

  async function requireUser(tenantId: string, userId: string): Promise<User> {
    const user = await selectUserInTenant(db, tenantId, userId);
    if (user === undefined) throw notFound('The user does not exist.');
    return user;
  }

  function requireSku(skuId: string): Sku {
    const sku = findSku(skuId);
    if (sku === undefined)
      throw invalidRequest('The licence is not in the catalogue.', [
        { path: '/skuId', message: 'unknown SKU' },
      ]);
    return sku;
  }

  async function tenantLicences(tenantId: string): Promise<TenantSku[]> {
    const seats = new Map((await selectSeats(db, tenantId)).map((s) => [s.skuId, s.seats]));
    return Promise.all(
      SKU_CATALOGUE.map(async (sku) => ({
        ...sku,
        seats: seats.get(sku.skuId) ?? 0,
        assigned: await countAssigned(db, tenantId, sku.skuId),
      })),
    );
  }

  const userTarget = (userId: string) => ({ type: 'user', id: userId });

  return {
    tenantLicences,

    setSeats(tenantId, skuId, seats, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'licence.seats_updated',
          target: { type: 'sku', id: skuId },
          details: { seats },
        },
        async () => {
          const sku = requireSku(skuId);
          if (!Number.isSafeInteger(seats) || seats < 0 || seats > MAX_SEATS)
            throw invalidRequest('The number of seats is not valid.', [
              { path: '/seats', message: `must be an integer from 0 to ${MAX_SEATS}` },
            ]);
          await upsertSeats(db, tenantId, sku.skuId, seats);
          const found = (await tenantLicences(tenantId)).find((s) => s.skuId === sku.skuId);
          if (found === undefined) throw new Error('SKU vanished from the catalogue');
          return found;
        },
      );
    },

    assignLicence(tenantId, userId, skuId, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'licence.assigned', target: userTarget(userId), details: { skuId } },
        async () => {
          const sku = requireSku(skuId);
          await requireUser(tenantId, userId);
          return deps.outbox.transaction(async (trx, events) => {
            await lockTenant(trx, engine, tenantId);
            const seats = (await selectSeats(trx, tenantId)).find((s) => s.skuId === sku.skuId)?.seats ?? 0;
            const held = await selectUserSkus(trx, userId);
            if (!held.includes(sku.skuId)) {
              if ((await countAssigned(trx, tenantId, sku.skuId)) >= seats)
                throw conflict(`Every seat of ${sku.skuPartNumber} is assigned.`);
              await insertUserSku(trx, userId, sku.skuId, now());
              events.record<UserEvent>(DIRECTORY_TOPICS.userUpdated, {
                tenantId,
                userId,
                changed: ['licences'],
              });
            }
            return selectUserSkus(trx, userId);
          });
        },
      );
    },

    unassignLicence(tenantId, userId, skuId, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'licence.unassigned', target: userTarget(userId), details: { skuId } },
        async () => {
          const sku = requireSku(skuId);
          await requireUser(tenantId, userId);
          return deps.outbox.transaction(async (trx, events) => {
            if (await deleteUserSku(trx, userId, sku.skuId))
              events.record<UserEvent>(DIRECTORY_TOPICS.userUpdated, {
                tenantId,
                userId,
                changed: ['licences'],
              });
            return selectUserSkus(trx, userId);
          });
        },
      );
    },

    async userHasLicence(userId, skuId) {
      const sku = findSku(skuId);
      if (sku === undefined || (await selectUserById(db, userId)) === undefined) return false;
      return (await selectUserSkus(db, userId)).includes(sku.skuId);
    },

    assignRole(tenantId, userId, role, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'role.assigned', target: userTarget(userId), details: { role } },
        async () => {
          if (!isAdminRole(role))
            throw invalidRequest('Unknown role.', [{ path: '/role', message: 'unknown role' }]);
          await requireUser(tenantId, userId);
          await deps.outbox.transaction(async (trx, events) => {
            if (await insertRole(trx, tenantId, userId, role, now()))
              events.record<UserEvent>(DIRECTORY_TOPICS.userUpdated, {
                tenantId,
                userId,
                changed: ['roles'],
              });
          });
        },
      );
    },

    removeRole(tenantId, userId, role, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'role.removed', target: userTarget(userId), details: { role } },
        async () => {
          if (!isAdminRole(role))
            throw invalidRequest('Unknown role.', [{ path: '/role', message: 'unknown role' }]);
          await requireUser(tenantId, userId);
          await deps.outbox.transaction(async (trx, events) => {
            if (role === 'globalAdministrator') await assertNotLastGlobalAdmin(trx, engine, tenantId, userId);
            if (!(await deleteRole(trx, tenantId, userId, role)))
              throw notFound('The user does not hold the role.');
            events.record<UserEvent>(DIRECTORY_TOPICS.userUpdated, { tenantId, userId, changed: ['roles'] });
          });
        },
      );
    },
  };
}
