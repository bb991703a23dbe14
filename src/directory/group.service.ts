/** Groups and their membership, within one tenant. */
import { randomUUID } from 'node:crypto';
import { notFound } from '../platform/errors/app-error.ts';
import type { Group } from './directory.types.ts';
import { DIRECTORY_TOPICS, type GroupEvent } from './directory.events.ts';
import {
  deleteGroupRow,
  deleteMember,
  insertGroup,
  insertMember,
  selectGroup,
  updateGroupRow,
} from './group.store.ts';
import { audited, type Actor, type DirectoryDeps } from './service-support.ts';
import { selectUserInTenant } from './user.store.ts';

export interface NewGroupInput {
  readonly displayName: string;
  readonly description?: string | null;
  /** Defaults to the display name reduced to letters and digits. */
  readonly mailNickname?: string;
}

export interface GroupPatch {
  readonly displayName?: string;
  readonly description?: string | null;
  readonly mailNickname?: string;
}

export interface GroupService {
  createGroup(tenantId: string, input: NewGroupInput, actor: Actor): Promise<Group>;
  updateGroup(tenantId: string, groupId: string, patch: GroupPatch, actor: Actor): Promise<Group>;
  deleteGroup(tenantId: string, groupId: string, actor: Actor): Promise<void>;
  /** Adds a user of the same tenant; adding an existing member changes nothing. */
  addMember(tenantId: string, groupId: string, userId: string, actor: Actor): Promise<void>;
  removeMember(tenantId: string, groupId: string, userId: string, actor: Actor): Promise<void>;
}

/** Graph's mailNickname: ASCII letters, digits and a few marks, no spaces. */
export function defaultMailNickname(displayName: string): string {
  const nickname = displayName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .slice(0, 64);
  return nickname === '' ? `group-${randomUUID().slice(0, 8)}` : nickname;
}

export function createGroupService(deps: DirectoryDeps): GroupService {
  const now = deps.now ?? Date.now;
  const db = deps.database.db;

  async function requireGroup(tenantId: string, groupId: string): Promise<Group> {
    const group = await selectGroup(db, tenantId, groupId);
    if (group === undefined) throw notFound('The group does not exist.');
    return group;
  }

  async function requireMemberCandidate(tenantId: string, userId: string): Promise<void> {
    if ((await selectUserInTenant(db, tenantId, userId)) === undefined)
      throw notFound('The user does not exist.');
  }

  const spec = (actor: Actor, tenantId: string, action: string, groupId: string, userId?: string) => ({
    actor,
    tenantId,
    action,
    target: { type: 'group', id: groupId },
    ...(userId === undefined ? {} : { details: { userId } }),
  });

  return {
    createGroup(tenantId, input, actor) {
      const group: Group = {
        id: randomUUID(),
        tenantId,
        displayName: input.displayName,
        description: input.description ?? null,
        mailNickname: input.mailNickname ?? defaultMailNickname(input.displayName),
        createdAt: now(),
      };
      return audited(deps.audit, spec(actor, tenantId, 'group.created', group.id), () =>
        deps.outbox.transaction(async (trx, events) => {
          await insertGroup(trx, group);
          events.record<GroupEvent>(DIRECTORY_TOPICS.groupUpdated, { tenantId, groupId: group.id });
          return group;
        }),
      );
    },

    updateGroup(tenantId, groupId, patch, actor) {
      return audited(deps.audit, spec(actor, tenantId, 'group.updated', groupId), async () => {
        const group = await requireGroup(tenantId, groupId);
        const changes = {
          ...(patch.displayName === undefined ? {} : { display_name: patch.displayName }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.mailNickname === undefined ? {} : { mail_nickname: patch.mailNickname }),
        };
        if (Object.keys(changes).length === 0) return group;
        await deps.outbox.transaction(async (trx, events) => {
          await updateGroupRow(trx, groupId, changes);
          events.record<GroupEvent>(DIRECTORY_TOPICS.groupUpdated, { tenantId, groupId });
        });
        return requireGroup(tenantId, groupId);
      });
    },

    deleteGroup(tenantId, groupId, actor) {
      return audited(deps.audit, spec(actor, tenantId, 'group.deleted', groupId), async () => {
        await requireGroup(tenantId, groupId);
        await deps.outbox.transaction(async (trx, events) => {
          await deleteGroupRow(trx, groupId);
          events.record<GroupEvent>(DIRECTORY_TOPICS.groupUpdated, { tenantId, groupId });
        });
      });
    },

    addMember(tenantId, groupId, userId, actor) {
      return audited(deps.audit, spec(actor, tenantId, 'group.member_added', groupId, userId), async () => {
        await requireGroup(tenantId, groupId);
        await requireMemberCandidate(tenantId, userId);
        await deps.outbox.transaction(async (trx, events) => {
          if (await insertMember(trx, groupId, userId, now()))
            events.record<GroupEvent>(DIRECTORY_TOPICS.groupUpdated, { tenantId, groupId, memberId: userId });
        });
      });
    },

    removeMember(tenantId, groupId, userId, actor) {
      return audited(deps.audit, spec(actor, tenantId, 'group.member_removed', groupId, userId), async () => {
        await requireGroup(tenantId, groupId);
        await deps.outbox.transaction(async (trx, events) => {
          if (!(await deleteMember(trx, groupId, userId)))
            throw notFound('The user is not a member of the group.');
          events.record<GroupEvent>(DIRECTORY_TOPICS.groupUpdated, { tenantId, groupId, memberId: userId });
        });
      });
    },
  };
}
