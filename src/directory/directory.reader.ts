/** The read side of the directory (`DirectoryReader`), for every other module. */
import type { Database } from '../platform/db/database.ts';
import { selectRoles, selectUserSkus } from './access.store.ts';
import { ADMIN_ROLES, type AdminRole, type DirectoryReader } from './directory.types.ts';
import { selectGroup, selectGroupPage, selectMembers } from './group.store.ts';
import { selectDomain, selectDomains, selectTenant } from './tenant.store.ts';
import { selectUserByUpn, selectUserInTenant, selectUserPage } from './user.store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` has the shape of a lower-case UUID (ids in the directory always do). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Longest DNS name (RFC 1035 §2.3.4) and the UPN limit Entra uses. */
const MAX_DOMAIN_LENGTH = 253;
const MAX_UPN_LENGTH = 113;

export function createDirectoryReader(database: Database): DirectoryReader {
  const db = database.db;
  return {
    getTenant: (tenantId) => (isUuid(tenantId) ? selectTenant(db, tenantId) : Promise.resolve(undefined)),

    async resolveTenant(idOrDomain) {
      const key = idOrDomain.toLowerCase();
      if (isUuid(key)) return selectTenant(db, key);
      if (key.length > MAX_DOMAIN_LENGTH) return undefined;
      const domain = await selectDomain(db, key);
      // An unverified domain names nobody: anyone can add any name to their tenant.
      if (!domain?.isVerified) return undefined;
      return selectTenant(db, domain.tenantId);
    },

    async listDomains(tenantId) {
      const domains = await selectDomains(db, tenantId);
      return domains.map(({ name, tenantId: t, isVerified, isDefault }) => ({
        name,
        tenantId: t,
        isVerified,
        isDefault,
      }));
    },

    getUser(tenantId, idOrUpn) {
      if (idOrUpn.length > MAX_UPN_LENGTH) return Promise.resolve(undefined);
      return selectUserInTenant(db, tenantId, idOrUpn);
    },

    findUserByUpn(upn) {
      if (upn.length > MAX_UPN_LENGTH) return Promise.resolve(undefined);
      return selectUserByUpn(db, upn);
    },

    listUsers: (tenantId, options) => selectUserPage(db, tenantId, options),

    getGroup: (tenantId, groupId) => selectGroup(db, tenantId, groupId),

    listGroups: (tenantId, options) => selectGroupPage(db, tenantId, options),

    listGroupMembers: (tenantId, groupId) => selectMembers(db, tenantId, groupId),

    async adminRoles(tenantId, userId) {
      const roles = await selectRoles(db, tenantId, userId);
      return roles.filter((r): r is AdminRole => (ADMIN_ROLES as readonly string[]).includes(r));
    },

    licences: (userId) => selectUserSkus(db, userId),
  };
}
