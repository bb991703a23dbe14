/**
 * Who may use the admin API: signed-in users of the tenant holding a directory role. Global
 * administrators may do everything; user administrators manage users, groups and licences only,
 * and never a user who holds an admin role (as in Entra ID, so a user administrator cannot take
 * over a global administrator's account). Everything is scoped to the caller's own tenant.
 */
import type { FastifyRequest } from 'fastify';
import type { AuditLog } from '../../audit/audit.types.ts';
import { forbidden, unauthenticated } from '../../platform/errors/app-error.ts';
import type { AdminRole, DirectoryReader } from '../directory.types.ts';
import type { Actor } from '../service-support.ts';

export type AdminArea =
  'users' | 'groups' | 'licences' | 'roles' | 'policies' | 'apps' | 'domains' | 'signInPolicy';

const USER_ADMIN_AREAS: ReadonlySet<AdminArea> = new Set(['users', 'groups', 'licences']);

export interface AdminCaller {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly AdminRole[];
  readonly actor: Actor;
  readonly isGlobalAdmin: boolean;
}

export interface AdminAccess {
  /** The caller, if allowed into `area`; 403 otherwise (recorded in the audit log). */
  require(request: FastifyRequest, area: AdminArea): Promise<AdminCaller>;
  /** 403 unless the caller may change `targetUserId` (user administrators cannot touch admins). */
  requireManageable(caller: AdminCaller, targetUserId: string): Promise<void>;
}

export function createAdminAccess(reader: DirectoryReader, audit: AuditLog): AdminAccess {
  async function deny(request: FastifyRequest, area: AdminArea, tenantId: string | null, actorId?: string) {
    const principal = request.principal;
    const id = actorId ?? principal?.id;
    const type = principal?.kind ?? 'anonymous';
    await audit.record({
      tenantId,
      actor: id === undefined ? { type } : { type, id },
      sourceIp: request.ip,
      action: 'admin.access_denied',
      outcome: 'failure',
      reason: 'forbidden',
      details: { area, method: request.method },
    });
    return forbidden('Only administrators of this tenant can do this.');
  }

  return {
    async require(request, area) {
      const principal = request.principal;
      if (principal === undefined) throw unauthenticated();
      const tenantId = principal.tenantId;
      if (principal.kind !== 'user' || tenantId === undefined)
        throw await deny(request, area, tenantId ?? null);
      const user = await reader.getUser(tenantId, principal.id);
      // Defence in depth: a token of a disabled or deleted account grants nothing here.
      if (!user?.accountEnabled) throw await deny(request, area, tenantId, principal.id);
      const roles = await reader.adminRoles(tenantId, user.id);
      const isGlobalAdmin = roles.includes('globalAdministrator');
      const allowed = isGlobalAdmin || (roles.includes('userAdministrator') && USER_ADMIN_AREAS.has(area));
      if (!allowed) throw await deny(request, area, tenantId, user.id);
      return {
        tenantId,
        userId: user.id,
        roles,
        isGlobalAdmin,
        actor: { type: 'user', id: user.id, sourceIp: request.ip },
      };
    },

    async requireManageable(caller, targetUserId) {
      if (caller.isGlobalAdmin) return;
      const targetRoles = await reader.adminRoles(caller.tenantId, targetUserId);
      if (targetRoles.length > 0) {
        await audit.record({
          tenantId: caller.tenantId,
          actor: { type: 'user', id: caller.userId },
          ...(caller.actor.sourceIp === undefined ? {} : { sourceIp: caller.actor.sourceIp }),
          action: 'admin.access_denied',
          target: { type: 'user', id: targetUserId },
          outcome: 'failure',
          reason: 'forbidden',
          details: { area: 'users' },
        });
        throw forbidden('Only a global administrator can change an administrator.');
      }
    },
  };
}
