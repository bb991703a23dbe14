/** `/api/v1/admin/licences`: the SKU catalogue with the tenant's seats, and changing seats. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { TenantSku } from '../access.service.ts';
import type { Directory } from '../directory.ts';
import { MAX_SEATS } from '../licences.ts';
import type { AdminAccess } from './admin-access.ts';
import { ADMIN_PREFIX, closed } from './admin.schemas.ts';

const AdminSku = Type.Object(
  {
    skuId: Type.String(),
    skuPartNumber: Type.String(),
    displayName: Type.String(),
    description: Type.String(),
    seats: Type.Integer(),
    assigned: Type.Integer(),
  },
  closed,
);

const present = (sku: TenantSku) => ({
  skuId: sku.skuId,
  skuPartNumber: sku.skuPartNumber,
  displayName: sku.displayName,
  description: sku.description,
  seats: sku.seats,
  assigned: sku.assigned,
});

export function registerLicenceRoutes(
  root: FastifyInstance,
  directory: Directory,
  access: AdminAccess,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const base = `${ADMIN_PREFIX}/licences`;

  app.get(
    base,
    { schema: { response: { 200: Type.Object({ licences: Type.Array(AdminSku) }, closed) } } },
    async (request) => {
      const caller = await access.require(request, 'licences');
      return { licences: (await directory.service.access.tenantLicences(caller.tenantId)).map(present) };
    },
  );

  app.put(
    `${base}/:skuId`,
    {
      schema: {
        params: Type.Object({ skuId: Type.String({ minLength: 1, maxLength: 64 }) }, closed),
        body: Type.Object({ seats: Type.Integer({ minimum: 0, maximum: MAX_SEATS }) }, closed),
        response: { 200: AdminSku },
      },
    },
    async (request) => {
      const caller = await access.require(request, 'licences');
      const { skuId } = request.params;
      return present(
        await directory.service.access.setSeats(caller.tenantId, skuId, request.body.seats, caller.actor),
      );
    },
  );
}
