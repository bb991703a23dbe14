/**
 * `/api/v1/admin/users`: list, read, create, change, disable/enable, sign out everywhere, reset
 * the password, and assign licences, roles and policies.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { notFound } from '../../platform/errors/app-error.ts';
import type { Directory } from '../directory.ts';
import type { AdminRole } from '../directory.types.ts';
import type { Actor } from '../service-support.ts';
import type { AdminAccess } from './admin-access.ts';
import {
  ADMIN_PREFIX,
  AdminUser,
  closed,
  Id,
  Paging,
  Password,
  PolicyKindName,
  presentUser,
  ProfileFields,
  RoleName,
  StringList,
  UserIdParams,
} from './admin.schemas.ts';

const UserDetail = Type.Object({ user: AdminUser, roles: StringList, licences: StringList }, closed);
const UserPage = Type.Object({ users: Type.Array(AdminUser), nextKey: Type.Optional(Type.String()) }, closed);

const ListQuery = Type.Object(
  {
    ...Paging.properties,
    /** Prefix of the display name (case-insensitive). */
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  closed,
);

/** Every profile field but the display name, each optional. */
const OptionalProfile = {
  mail: Type.Optional(ProfileFields.mail),
  givenName: Type.Optional(ProfileFields.givenName),
  surname: Type.Optional(ProfileFields.surname),
  jobTitle: Type.Optional(ProfileFields.jobTitle),
  department: Type.Optional(ProfileFields.department),
  officeLocation: Type.Optional(ProfileFields.officeLocation),
  businessPhones: Type.Optional(ProfileFields.businessPhones),
  mobilePhone: Type.Optional(ProfileFields.mobilePhone),
  timeZone: Type.Optional(ProfileFields.timeZone),
  preferredLanguage: Type.Optional(ProfileFields.preferredLanguage),
  userType: Type.Optional(ProfileFields.userType),
};
const Upn = Type.String({ minLength: 3, maxLength: 113 });

const CreateUser = Type.Object(
  {
    userPrincipalName: Upn,
    password: Type.Optional(Password),
    accountEnabled: Type.Optional(Type.Boolean()),
    displayName: ProfileFields.displayName,
    ...OptionalProfile,
  },
  closed,
);

const PatchUser = Type.Object(
  {
    userPrincipalName: Type.Optional(Upn),
    displayName: Type.Optional(ProfileFields.displayName),
    ...OptionalProfile,
  },
  { ...closed, minProperties: 1 },
);

const SkuParams = Type.Object({ userId: Id, skuId: Type.String({ minLength: 1, maxLength: 64 }) }, closed);
const RoleParams = Type.Object({ userId: Id, role: RoleName }, closed);
const PolicyParams = Type.Object({ userId: Id, kind: PolicyKindName }, closed);
const PolicyAssignment = Type.Object({ policyId: Type.Union([Type.Null(), Id]) }, closed);
const Licences = Type.Object({ licences: StringList }, closed);

export function registerUserRoutes(root: FastifyInstance, directory: Directory, access: AdminAccess): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { users, access: licencesAndRoles, policies } = directory.service;
  const base = `${ADMIN_PREFIX}/users`;

  async function detail(tenantId: string, userId: string) {
    const user = await directory.reader.getUser(tenantId, userId);
    if (user === undefined) throw notFound('The user does not exist.');
    return {
      user: presentUser(user),
      roles: [...(await directory.reader.adminRoles(tenantId, user.id))],
      licences: [...(await directory.reader.licences(user.id))],
    };
  }

  app.get(base, { schema: { querystring: ListQuery, response: { 200: UserPage } } }, async (request) => {
    const caller = await access.require(request, 'users');
    const { top = 100, after, search } = request.query;
    const page = await directory.reader.listUsers(caller.tenantId, {
      top,
      filters: search === undefined ? [] : [{ field: 'displayName', op: 'startswith', value: search }],
      ...(after === undefined ? {} : { afterKey: after }),
    });
    return {
      users: page.users.map(presentUser),
      ...(page.nextKey === undefined ? {} : { nextKey: page.nextKey }),
    };
  });

  app.get(
    `${base}/:userId`,
    { schema: { params: UserIdParams, response: { 200: UserDetail } } },
    async (request) => {
      const caller = await access.require(request, 'users');
      return detail(caller.tenantId, request.params.userId.toLowerCase());
    },
  );

  app.post(base, { schema: { body: CreateUser, response: { 201: UserDetail } } }, async (request, reply) => {
    const caller = await access.require(request, 'users');
    const user = await users.createUser(caller.tenantId, request.body, caller.actor);
    return reply.code(201).send(await detail(caller.tenantId, user.id));
  });

  app.patch(
    `${base}/:userId`,
    { schema: { params: UserIdParams, body: PatchUser, response: { 200: UserDetail } } },
    async (request) => {
      const caller = await access.require(request, 'users');
      const userId = request.params.userId.toLowerCase();
      await access.requireManageable(caller, userId);
      await users.updateUser(caller.tenantId, userId, request.body, caller.actor);
      return detail(caller.tenantId, userId);
    },
  );

  const action = (path: string, run: (tenantId: string, userId: string, actor: Actor) => Promise<unknown>) =>
    app.post(
      `${base}/:userId/${path}`,
      { schema: { params: UserIdParams, response: { 200: UserDetail } } },
      async (request) => {
        const caller = await access.require(request, 'users');
        const userId = request.params.userId.toLowerCase();
        await access.requireManageable(caller, userId);
        await run(caller.tenantId, userId, caller.actor);
        return detail(caller.tenantId, userId);
      },
    );
  action('disable', (t, u, a) => users.disableUser(t, u, a));
  action('enable', (t, u, a) => users.enableUser(t, u, a));
  action('revoke-sessions', (t, u, a) => users.revokeSessions(t, u, a));

  app.post(
    `${base}/:userId/password`,
    { schema: { params: UserIdParams, body: Type.Object({ password: Password }, closed) } },
    async (request, reply) => {
      const caller = await access.require(request, 'users');
      const userId = request.params.userId.toLowerCase();
      await access.requireManageable(caller, userId);
      await users.setPassword(caller.tenantId, userId, request.body.password, caller.actor);
      return reply.code(204).send();
    },
  );

  for (const [method, change] of [
    ['PUT', (t: string, u: string, sku: string, a: Actor) => licencesAndRoles.assignLicence(t, u, sku, a)],
    [
      'DELETE',
      (t: string, u: string, sku: string, a: Actor) => licencesAndRoles.unassignLicence(t, u, sku, a),
    ],
  ] as const)
    app.route({
      method,
      url: `${base}/:userId/licences/:skuId`,
      schema: { params: SkuParams, response: { 200: Licences } },
      handler: async (request) => {
        const caller = await access.require(request, 'licences');
        const { userId, skuId } = request.params;
        const licences = await change(caller.tenantId, userId.toLowerCase(), skuId, caller.actor);
        return { licences: [...licences] };
      },
    });

  for (const [method, change] of [
    ['PUT', (t: string, u: string, role: AdminRole, a: Actor) => licencesAndRoles.assignRole(t, u, role, a)],
    [
      'DELETE',
      (t: string, u: string, role: AdminRole, a: Actor) => licencesAndRoles.removeRole(t, u, role, a),
    ],
  ] as const)
    app.route({
      method,
      url: `${base}/:userId/roles/:role`,
      schema: { params: RoleParams },
      handler: async (request, reply) => {
        const caller = await access.require(request, 'roles');
        await change(caller.tenantId, request.params.userId.toLowerCase(), request.params.role, caller.actor);
        return reply.code(204).send();
      },
    });

  app.put(
    `${base}/:userId/policies/:kind`,
    { schema: { params: PolicyParams, body: PolicyAssignment } },
    async (request, reply) => {
      const caller = await access.require(request, 'policies');
      const policyId = request.body.policyId === null ? null : request.body.policyId.toLowerCase();
      await policies.assignPolicy(
        caller.tenantId,
        request.params.userId.toLowerCase(),
        request.params.kind,
        policyId,
        caller.actor,
      );
      return reply.code(204).send();
    },
  );
}
