/** `/api/v1/admin/domains` and `/api/v1/admin/sign-in-policy`: the tenant's domains and sign-in rules. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { Directory } from '../directory.ts';
import { MAX_ALLOWED_NETWORKS } from '../sign-in-policy.ts';
import type { AdminDomain } from '../tenant.service.ts';
import type { AdminAccess } from './admin-access.ts';
import { ADMIN_PREFIX, closed } from './admin.schemas.ts';

const DomainName = Type.String({ minLength: 4, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' });
const AdminDomainSchema = Type.Object(
  {
    name: Type.String(),
    isVerified: Type.Boolean(),
    isDefault: Type.Boolean(),
    /** Publish as a DNS TXT record to prove ownership before verifying. */
    verificationCode: Type.String(),
  },
  closed,
);
const present = (d: AdminDomain) => ({
  name: d.name,
  isVerified: d.isVerified,
  isDefault: d.isDefault,
  verificationCode: d.verificationCode,
});

const SignInPolicy = Type.Object(
  {
    requireMfa: Type.Boolean(),
    allowedNetworks: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: MAX_ALLOWED_NETWORKS,
    }),
  },
  closed,
);

export function registerDomainRoutes(root: FastifyInstance, directory: Directory, access: AdminAccess): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tenants = directory.service.tenants;

  app.get(
    `${ADMIN_PREFIX}/domains`,
    { schema: { response: { 200: Type.Object({ domains: Type.Array(AdminDomainSchema) }, closed) } } },
    async (request) => {
      const caller = await access.require(request, 'domains');
      return { domains: (await tenants.listDomains(caller.tenantId)).map(present) };
    },
  );

  app.post(
    `${ADMIN_PREFIX}/domains`,
    { schema: { body: Type.Object({ name: DomainName }, closed), response: { 201: AdminDomainSchema } } },
    async (request, reply) => {
      const caller = await access.require(request, 'domains');
      return reply
        .code(201)
        .send(present(await tenants.addDomain(caller.tenantId, request.body.name, caller.actor)));
    },
  );

  app.post(
    `${ADMIN_PREFIX}/domains/:name/verify`,
    { schema: { params: Type.Object({ name: DomainName }, closed), response: { 200: AdminDomainSchema } } },
    async (request) => {
      const caller = await access.require(request, 'domains');
      return present(await tenants.verifyDomain(caller.tenantId, request.params.name, caller.actor));
    },
  );

  app.get(
    `${ADMIN_PREFIX}/sign-in-policy`,
    { schema: { response: { 200: SignInPolicy } } },
    async (request) => {
      const caller = await access.require(request, 'signInPolicy');
      const policy = await tenants.getSignInPolicy(caller.tenantId);
      return { requireMfa: policy.requireMfa, allowedNetworks: [...policy.allowedNetworks] };
    },
  );

  app.put(
    `${ADMIN_PREFIX}/sign-in-policy`,
    { schema: { body: SignInPolicy, response: { 200: SignInPolicy } } },
    async (request) => {
      const caller = await access.require(request, 'signInPolicy');
      const policy = await tenants.updateSignInPolicy(caller.tenantId, request.body, caller.actor);
      return { requireMfa: policy.requireMfa, allowedNetworks: [...policy.allowedNetworks] };
    },
  );
}
