/** Admin API for groups (`/api/v1/admin/groups`, src/directory/admin/groups.routes.ts). */
import { authorizedRequest } from '../../auth/session.ts';
import { isRecord } from '../http.ts';
import { ADMIN_PREFIX, parseAdminUser, unexpectedResponse, type AdminUser } from './users.ts';

export interface AdminGroup {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly mailNickname: string;
}

function parseGroup(body: unknown): AdminGroup {
  if (
    !isRecord(body) ||
    typeof body.id !== 'string' ||
    typeof body.displayName !== 'string' ||
    typeof body.mailNickname !== 'string'
  )
    throw unexpectedResponse();
  return {
    id: body.id,
    displayName: body.displayName,
    description: typeof body.description === 'string' ? body.description : null,
    mailNickname: body.mailNickname,
  };
}

const groups = `${ADMIN_PREFIX}/groups`;
const one = (id: string) => `${groups}/${encodeURIComponent(id)}`;

/** Every group of the tenant (pages followed to the end). */
export async function listGroups(signal?: AbortSignal): Promise<readonly AdminGroup[]> {
  const all: AdminGroup[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page++) {
    const query = new URLSearchParams({ top: '200', ...(after === undefined ? {} : { after }) });
    const body = await authorizedRequest(`${groups}?${query.toString()}`, { signal });
    if (!isRecord(body) || !Array.isArray(body.groups)) throw unexpectedResponse();
    all.push(...body.groups.map(parseGroup));
    after = typeof body.nextKey === 'string' ? body.nextKey : undefined;
    if (after === undefined) break;
  }
  return all;
}

export async function createGroup(input: { displayName: string; description?: string }): Promise<AdminGroup> {
  return parseGroup(await authorizedRequest(groups, { body: input }));
}

export async function deleteGroup(id: string): Promise<void> {
  await authorizedRequest(one(id), { method: 'DELETE' });
}

export async function listMembers(id: string, signal?: AbortSignal): Promise<readonly AdminUser[]> {
  const body = await authorizedRequest(`${one(id)}/members`, { signal });
  if (!isRecord(body) || !Array.isArray(body.members)) throw unexpectedResponse();
  return body.members.map(parseAdminUser);
}

export async function setMember(groupId: string, userId: string, member: boolean): Promise<void> {
  await authorizedRequest(`${one(groupId)}/members/${encodeURIComponent(userId)}`, {
    method: member ? 'PUT' : 'DELETE',
  });
}
