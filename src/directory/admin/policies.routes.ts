/**
 * `/api/v1/admin/policies`: the tenant's policies (defaults and named ones), their settings and
 * new named policies. Assignment to users is under `/users/:id/policies/:kind`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import type { Directory } from '../directory.ts';
import { POLICY_SCHEMAS } from '../policies.schema.ts';
import type { PolicyRecord } from '../policy.store.ts';
import type { AdminAccess } from './admin-access.ts';
import { ADMIN_PREFIX, closed, Id, iso, PolicyKindName } from './admin.schemas.ts';

/** Any kind's settings; the service checks them against the policy's own kind. */
const Settings = Type.Union(Object.values(POLICY_SCHEMAS));

const AdminPolicy = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    isDefault: Type.Boolean(),
    settings: Settings,
    updatedAt: Type.String(),
  },
  closed,
);

function present(policy: PolicyRecord) {
  return {
    id: policy.id,
    kind: policy.kind,
    name: policy.name,
    isDefault: policy.isDefault,
    // Checked against the kind's schema when written.
    settings: policy.settings as Static<typeof Settings>,
    updatedAt: iso(policy.updatedAt),
  };
}

const PolicyParams = Type.Object({ policyId: Id }, closed);

export function registerPolicyRoutes(root: FastifyInstance, directory: Directory, access: AdminAccess): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const policies = directory.service.policies;
  const base = `${ADMIN_PREFIX}/policies`;

  app.get(
    base,
    {
      schema: {
        querystring: Type.Object({ kind: Type.Optional(PolicyKindName) }, closed),
        response: { 200: Type.Object({ policies: Type.Array(AdminPolicy) }, closed) },
      },
    },
    async (request) => {
      const caller = await access.require(request, 'policies');
      return { policies: (await policies.listPolicies(caller.tenantId, request.query.kind)).map(present) };
    },
  );

  app.get(
    `${base}/:policyId`,
    { schema: { params: PolicyParams, response: { 200: AdminPolicy } } },
    async (request) => {
      const caller = await access.require(request, 'policies');
      return present(await policies.getPolicy(caller.tenantId, request.params.policyId.toLowerCase()));
    },
  );

  app.post(
    base,
    {
      schema: {
        body: Type.Object(
          { kind: PolicyKindName, name: Type.String({ minLength: 1, maxLength: 128 }), settings: Settings },
          closed,
        ),
        response: { 201: AdminPolicy },
      },
    },
    async (request, reply) => {
      const caller = await access.require(request, 'policies');
      const { kind, name, settings } = request.body;
      const policy = await policies.createPolicy(caller.tenantId, kind, name, settings, caller.actor);
      return reply.code(201).send(present(policy));
    },
  );

  app.put(
    `${base}/:policyId`,
    {
      schema: {
        params: PolicyParams,
        body: Type.Object({ settings: Settings }, closed),
        response: { 200: AdminPolicy },
      },
    },
    async (request) => {
      const caller = await access.require(request, 'policies');
      const policyId = request.params.policyId.toLowerCase();
      return present(
        await policies.updatePolicy(caller.tenantId, policyId, request.body.settings, caller.actor),
      );
    },
  );
}
