/** `/api/v1/admin/groups`: groups and their members. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { notFound } from '../../platform/errors/app-error.ts';
import type { Group } from '../directory.types.ts';
import type { Directory } from '../directory.ts';
import type { AdminAccess } from './admin-access.ts';
import { ADMIN_PREFIX, AdminUser, closed, Id, iso, Paging, presentUser } from './admin.schemas.ts';

const AdminGroup = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    mailNickname: Type.String(),
    createdAt: Type.String(),
  },
  closed,
);

function presentGroup(group: Group) {
  return {
    id: group.id,
    displayName: group.displayName,
    description: group.description,
    mailNickname: group.mailNickname,
    createdAt: iso(group.createdAt),
  };
}

const MailNickname = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });
const CreateGroup = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 256 }),
    description: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 1024 })])),
    mailNickname: Type.Optional(MailNickname),
  },
  closed,
);
const PatchGroup = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    description: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 1024 })])),
    mailNickname: Type.Optional(MailNickname),
  },
  { ...closed, minProperties: 1 },
);
const GroupParams = Type.Object({ groupId: Id }, closed);
const MemberParams = Type.Object({ groupId: Id, userId: Id }, closed);
const GroupPage = Type.Object(
  { groups: Type.Array(AdminGroup), nextKey: Type.Optional(Type.String()) },
  closed,
);

export function registerGroupRoutes(root: FastifyInstance, directory: Directory, access: AdminAccess): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const groups = directory.service.groups;
  const base = `${ADMIN_PREFIX}/groups`;

  async function requireGroup(tenantId: string, groupId: string): Promise<Group> {
    const group = await directory.reader.getGroup(tenantId, groupId.toLowerCase());
    if (group === undefined) throw notFound('The group does not exist.');
    return group;
  }

  app.get(base, { schema: { querystring: Paging, response: { 200: GroupPage } } }, async (request) => {
    const caller = await access.require(request, 'groups');
    const { top = 100, after } = request.query;
    const page = await directory.reader.listGroups(caller.tenantId, {
      top,
      ...(after === undefined ? {} : { afterKey: after }),
    });
    return {
      groups: page.groups.map(presentGroup),
      ...(page.nextKey === undefined ? {} : { nextKey: page.nextKey }),
    };
  });

  app.post(base, { schema: { body: CreateGroup, response: { 201: AdminGroup } } }, async (request, reply) => {
    const caller = await access.require(request, 'groups');
    const group = await groups.createGroup(caller.tenantId, request.body, caller.actor);
    return reply.code(201).send(presentGroup(group));
  });

  app.get(
    `${base}/:groupId`,
    { schema: { params: GroupParams, response: { 200: AdminGroup } } },
    async (request) => {
      const caller = await access.require(request, 'groups');
      return presentGroup(await requireGroup(caller.tenantId, request.params.groupId));
    },
  );

  app.patch(
    `${base}/:groupId`,
    { schema: { params: GroupParams, body: PatchGroup, response: { 200: AdminGroup } } },
    async (request) => {
      const caller = await access.require(request, 'groups');
      const group = await groups.updateGroup(
        caller.tenantId,
        request.params.groupId.toLowerCase(),
        request.body,
        caller.actor,
      );
      return presentGroup(group);
    },
  );

  app.delete(`${base}/:groupId`, { schema: { params: GroupParams } }, async (request, reply) => {
    const caller = await access.require(request, 'groups');
    await groups.deleteGroup(caller.tenantId, request.params.groupId.toLowerCase(), caller.actor);
    return reply.code(204).send();
  });

  app.get(
    `${base}/:groupId/members`,
    {
      schema: {
        params: GroupParams,
        response: { 200: Type.Object({ members: Type.Array(AdminUser) }, closed) },
      },
    },
    async (request) => {
      const caller = await access.require(request, 'groups');
      const group = await requireGroup(caller.tenantId, request.params.groupId);
      const members = await directory.reader.listGroupMembers(caller.tenantId, group.id);
      return { members: members.map(presentUser) };
    },
  );

  app.put(
    `${base}/:groupId/members/:userId`,
    { schema: { params: MemberParams } },
    async (request, reply) => {
      const caller = await access.require(request, 'groups');
      const { groupId, userId } = request.params;
      await groups.addMember(caller.tenantId, groupId.toLowerCase(), userId.toLowerCase(), caller.actor);
      return reply.code(204).send();
    },
  );

  app.delete(
    `${base}/:groupId/members/:userId`,
    { schema: { params: MemberParams } },
    async (request, reply) => {
      const caller = await access.require(request, 'groups');
      const { groupId, userId } = request.params;
      await groups.removeMember(caller.tenantId, groupId.toLowerCase(), userId.toLowerCase(), caller.actor);
      return reply.code(204).send();
    },
  );
}
