/**
 * `GET /v1.0/groups`, `GET /v1.0/groups/{id}`, `GET /v1.0/groups/{id}/members` (Graph v1.0,
 * group-list.md, group-get.md, group-list-members.md). Parley groups are plain security groups:
 * no mailbox (`mailEnabled: false`, `mail: null`) and not Microsoft 365 groups (`groupTypes: []`).
 * Members are users shown through the same per-caller whitelist as `/users`.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Group } from '../../directory/directory.types.ts';
import { graphCaller, groupReadAudience } from './graph-access.ts';
import { badQuery, resourceNotFound } from './graph-error.ts';
import { graphDate } from './graph-reply.ts';
import {
  DirectoryObjectCollection,
  GroupCollection,
  GroupEntity,
  GroupIdParams,
  ODataQuerystring,
} from './graph.schema.ts';
import { collection, entityContext, pageRequest, parseODataQuery, type QuerySpec } from './odata.ts';
import { presentUser, USER_PROPERTIES, type UserProperty } from './user.presenter.ts';
import type { GraphModuleDeps as GraphRouteDeps } from './graph.module.ts';

const GROUP_PROPERTIES = [
  'id',
  'displayName',
  'description',
  'mailNickname',
  'mail',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
  'createdDateTime',
] as const;
type GroupProperty = (typeof GROUP_PROPERTIES)[number];

const GROUP_ENTITY: QuerySpec = {
  resource: 'groups',
  typeName: 'microsoft.graph.group',
  options: ['$select'],
  properties: GROUP_PROPERTIES,
};
const GROUP_LIST: QuerySpec = {
  ...GROUP_ENTITY,
  options: ['$top', '$select', '$skiptoken', '$count', '$orderby'],
  defaultTop: 100,
};
const MEMBER_LIST: QuerySpec = {
  resource: 'members',
  typeName: 'microsoft.graph.user',
  options: ['$top', '$select', '$skiptoken', '$count', '$orderby'],
  properties: USER_PROPERTIES,
  defaultTop: 100,
};

function presentGroup(group: Group, select: readonly string[] | undefined): Record<string, unknown> {
  const all: Record<GroupProperty, unknown> = {
    id: group.id,
    displayName: group.displayName,
    description: group.description,
    mailNickname: group.mailNickname,
    mail: null,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    createdDateTime: graphDate(new Date(group.createdAt)),
  };
  if (select === undefined) return all;
  return Object.fromEntries(select.map((p) => [p, all[p as GroupProperty]]));
}

export function registerGroupRoutes(app: FastifyInstance, deps: GraphRouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/groups',
    { schema: { querystring: ODataQuerystring, response: { 200: GroupCollection } } },
    async (request) => {
      const caller = graphCaller(request);
      groupReadAudience(caller);
      const query = parseODataQuery(request.query, GROUP_LIST);
      const page = await deps.directory.listGroups(caller.tenantId, pageRequest(query));
      const value = page.groups.map((g) => presentGroup(g, query.select));
      return collection(deps.publicOrigin(), 'groups', 'groups', query, value, page.nextKey);
    },
  );

  r.get(
    '/groups/:id',
    { schema: { params: GroupIdParams, querystring: ODataQuerystring, response: { 200: GroupEntity } } },
    async (request) => {
      const caller = graphCaller(request);
      groupReadAudience(caller);
      const query = parseODataQuery(request.query, GROUP_ENTITY);
      const group = await deps.directory.getGroup(caller.tenantId, request.params.id);
      if (group === undefined) throw resourceNotFound(request.params.id);
      return {
        '@odata.context': entityContext(deps.publicOrigin(), 'groups', query),
        ...presentGroup(group, query.select),
      };
    },
  );

  r.get(
    '/groups/:id/members',
    {
      schema: {
        params: GroupIdParams,
        querystring: ODataQuerystring,
        response: { 200: DirectoryObjectCollection },
      },
    },
    async (request) => {
      const caller = graphCaller(request);
      const audience = groupReadAudience(caller);
      const groupId = request.params.id;
      const query = parseODataQuery(request.query, MEMBER_LIST);
      const group = await deps.directory.getGroup(caller.tenantId, groupId);
      if (group === undefined) throw resourceNotFound(groupId);
      // The directory answers the whole (small) member list; pages are cut here by position.
      const members = await deps.directory.listGroupMembers(caller.tenantId, group.id);
      const start = query.afterKey === undefined ? 0 : memberOffset(query.afterKey, members.length);
      const end = start + query.top;
      const select = query.select as readonly UserProperty[] | undefined;
      const value = members.slice(start, end).map((u) => ({
        '@odata.type': '#microsoft.graph.user' as const,
        ...presentUser(u, audience, select),
      }));
      const next = end < members.length ? String(end) : undefined;
      return collection(
        deps.publicOrigin(),
        'directoryObjects',
        `groups/${group.id}/members`,
        query,
        value,
        next,
      );
    },
  );
}

function memberOffset(key: string, total: number): number {
  const offset = /^[0-9]{1,9}$/.test(key) ? Number(key) : NaN;
  if (!(offset > 0 && offset <= total)) throw badQuery('The $skiptoken is not valid.');
  return offset;
}
