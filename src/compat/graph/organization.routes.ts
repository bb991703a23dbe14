/**
 * `GET /v1.0/organization` (Graph v1.0, organization-get.md): a collection holding the caller's
 * own tenant only. Parley has no separate "initial" (onmicrosoft.com-style) domain, so the
 * default domain is reported as the initial one too; every domain is managed by Parley itself.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { graphCaller, requireOrganizationRead } from './graph-access.ts';
import { graphDate } from './graph-reply.ts';
import { ODataQuerystring, OrganizationCollection } from './graph.schema.ts';
import { collection, parseODataQuery, type QuerySpec } from './odata.ts';
import type { GraphModuleDeps as GraphRouteDeps } from './graph.module.ts';

const ORGANIZATION: QuerySpec = {
  resource: 'organization',
  typeName: 'microsoft.graph.organization',
  options: ['$select'],
  properties: ['id', 'displayName', 'verifiedDomains', 'tenantType', 'createdDateTime'],
};

export function registerOrganizationRoutes(app: FastifyInstance, deps: GraphRouteDeps): void {
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get(
      '/organization',
      { schema: { querystring: ODataQuerystring, response: { 200: OrganizationCollection } } },
      async (request) => {
        const caller = graphCaller(request);
        requireOrganizationRead(caller);
        const query = parseODataQuery(request.query, ORGANIZATION);
        const respond = (value: Record<string, unknown>[]) =>
          collection(deps.publicOrigin(), 'organization', 'organization', query, value, undefined);
        const tenant = await deps.directory.getTenant(caller.tenantId);
        if (tenant === undefined) return respond([]);
        const domains = await deps.directory.listDomains(tenant.id);
        const all: Record<string, unknown> = {
          id: tenant.id,
          displayName: tenant.displayName,
          verifiedDomains: domains
            .filter((d) => d.isVerified)
            .map((d) => ({
              name: d.name,
              isDefault: d.isDefault,
              isInitial: d.isDefault,
              type: 'Managed',
              capabilities: '',
            })),
          tenantType: 'AAD',
          createdDateTime: graphDate(new Date(tenant.createdAt)),
        };
        const shown =
          query.select === undefined ? all : Object.fromEntries(query.select.map((p) => [p, all[p]]));
        return respond([shown]);
      },
    );
}
