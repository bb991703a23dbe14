/**
 * The licence catalogue. SKUs are fixed in code (ids are GUIDs, as Graph's `subscribedSku.skuId`);
 * a tenant holds a number of seats of each and assigns them to users. Features check a licence
 * with `userHasLicence` rather than a role: scheduling meetings needs `PARLEY_MEETINGS`.
 */

export interface Sku {
  readonly skuId: string;
  /** Graph's `skuPartNumber`. */
  readonly skuPartNumber: string;
  readonly displayName: string;
  readonly description: string;
}

export const PARLEY_STANDARD: Sku = {
  skuId: '6f1c3a52-8e1d-4b7a-9c2e-3d5f7a9b1c01',
  skuPartNumber: 'PARLEY_STANDARD',
  displayName: 'Parley Standard',
  description: 'Chat, channels, presence, files and joining meetings.',
};

export const PARLEY_MEETINGS: Sku = {
  skuId: '6f1c3a52-8e1d-4b7a-9c2e-3d5f7a9b1c02',
  skuPartNumber: 'PARLEY_MEETINGS',
  displayName: 'Parley Meetings',
  description: 'Scheduling and organising meetings, with lobby and presenter controls.',
};

export const SKU_CATALOGUE: readonly Sku[] = [PARLEY_STANDARD, PARLEY_MEETINGS];

export function findSku(skuIdOrPartNumber: string): Sku | undefined {
  return SKU_CATALOGUE.find((s) => s.skuId === skuIdOrPartNumber || s.skuPartNumber === skuIdOrPartNumber);
}

/** Seats a new tenant gets of every SKU; admins change them through the admin API. */
export const DEFAULT_SEATS = 25;
/** Upper bound an admin may set, to keep counts sane. */
export const MAX_SEATS = 1_000_000;
