/**
 * `GET /v1.0/me`, `GET /v1.0/users`, `GET /v1.0/users/{id | userPrincipalName}` (Graph v1.0,
 * api-reference user-get.md and user-list.md). Only the caller's tenant is ever read: an id from
 * another tenant answers 404 exactly like an id that does not exist.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DirectoryReader, User } from '../../directory/directory.types.ts';
import {
  canReadSelf,
  graphCaller,
  otherUsersAudience,
  requireSelfRead,
  userListAudience,
  type GraphCaller,
  type UserAudience,
} from './graph-access.ts';
import { requestDenied, resourceNotFound } from './graph-error.ts';
import type { GraphModuleDeps as GraphRouteDeps } from './graph.module.ts';
import { ODataQuerystring, UserCollection, UserEntity, UserIdParams } from './graph.schema.ts';
import { parseUserFilter } from './odata-filter.ts';
import { collection, entityContext, pageRequest, parseODataQuery, type QuerySpec } from './odata.ts';
import { canSee, presentUser, USER_PROPERTIES, type UserProperty } from './user.presenter.ts';

const USER_ENTITY: QuerySpec = {
  resource: 'users',
  typeName: 'microsoft.graph.user',
  options: ['$select'],
  properties: USER_PROPERTIES,
};

const USER_LIST: QuerySpec = {
  ...USER_ENTITY,
  options: ['$top', '$select', '$filter', '$skiptoken', '$count', '$orderby'],
  defaultTop: 100,
  parseFilter: parseUserFilter,
};

const selected = (select: readonly string[] | undefined) => select as readonly UserProperty[] | undefined;

export function registerUserRoutes(app: FastifyInstance, deps: GraphRouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/me',
    { schema: { querystring: ODataQuerystring, response: { 200: UserEntity } } },
    async (request) => {
      const caller = graphCaller(request);
      requireSelfRead(caller);
      const query = parseODataQuery(request.query, USER_ENTITY);
      const user = await deps.directory.getUser(caller.tenantId, caller.principal.id);
      if (user === undefined) throw resourceNotFound(caller.principal.id);
      return {
        '@odata.context': entityContext(deps.publicOrigin(), 'users', query),
        ...presentUser(user, 'self', selected(query.select)),
      };
    },
  );

  r.get(
    '/users/:id',
    { schema: { params: UserIdParams, querystring: ODataQuerystring, response: { 200: UserEntity } } },
    async (request) => {
      const caller = graphCaller(request);
      const query = parseODataQuery(request.query, USER_ENTITY);
      const { user, audience } = await readUser(deps.directory, caller, request.params.id);
      return {
        '@odata.context': entityContext(deps.publicOrigin(), 'users', query),
        ...presentUser(user, audience, selected(query.select)),
      };
    },
  );

  r.get(
    '/users',
    { schema: { querystring: ODataQuerystring, response: { 200: UserCollection } } },
    async (request) => {
      const caller = graphCaller(request);
      const audience = userListAudience(caller);
      const query = parseODataQuery(request.query, USER_LIST);
      // Filtering on a property the caller cannot see would reveal it one guess at a time.
      if (query.filters.some((f) => !canSee(audience, f.field))) throw requestDenied();
      const page = await deps.directory.listUsers(caller.tenantId, {
        ...pageRequest(query),
        filters: query.filters,
      });
      const value = page.users.map((u) => presentUser(u, audience, selected(query.select)));
      return collection(deps.publicOrigin(), 'users', 'users', query, value, page.nextKey);
    },
  );
}

/**
 * Reads one user for the caller. Without a permission to read others, the answer is 403 whether
 * or not the id exists (so ids cannot be probed), except for the caller's own object.
 */
async function readUser(
  directory: DirectoryReader,
  caller: GraphCaller,
  idOrUpn: string,
): Promise<{ user: User; audience: UserAudience }> {
  const others = otherUsersAudience(caller);
  const user = await directory.getUser(caller.tenantId, idOrUpn);
  if (user?.id === caller.principal.id && canReadSelf(caller)) return { user, audience: 'self' };
  if (others === undefined) throw requestDenied();
  if (user === undefined) throw resourceNotFound(idOrUpn);
  return { user, audience: others };
}
