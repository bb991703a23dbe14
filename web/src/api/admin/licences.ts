/** Admin API for licences (`/api/v1/admin/licences`): the catalogue with seats, and seat counts. */
import { authorizedRequest } from '../../auth/session.ts';
import { isRecord } from '../http.ts';
import { ADMIN_PREFIX, unexpectedResponse } from './users.ts';

export interface TenantSku {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly displayName: string;
  readonly description: string;
  readonly seats: number;
  readonly assigned: number;
}

function parseSku(body: unknown): TenantSku {
  if (
    !isRecord(body) ||
    typeof body.skuId !== 'string' ||
    typeof body.displayName !== 'string' ||
    typeof body.seats !== 'number' ||
    typeof body.assigned !== 'number'
  )
    throw unexpectedResponse();
  return {
    skuId: body.skuId,
    skuPartNumber: typeof body.skuPartNumber === 'string' ? body.skuPartNumber : body.skuId,
    displayName: body.displayName,
    description: typeof body.description === 'string' ? body.description : '',
    seats: body.seats,
    assigned: body.assigned,
  };
}

const licences = `${ADMIN_PREFIX}/licences`;

export async function listLicences(signal?: AbortSignal): Promise<readonly TenantSku[]> {
  const body = await authorizedRequest(licences, { signal });
  if (!isRecord(body) || !Array.isArray(body.licences)) throw unexpectedResponse();
  return body.licences.map(parseSku);
}

export async function setSeats(skuId: string, seats: number): Promise<TenantSku> {
  return parseSku(
    await authorizedRequest(`${licences}/${encodeURIComponent(skuId)}`, { method: 'PUT', body: { seats } }),
  );
}
