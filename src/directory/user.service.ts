/**
 * Users: creation, profile changes, passwords, disabling and signing out everywhere. Disabling,
 * revoking and resetting a password move `sessions_valid_after` to now and publish
 * `directory.user.sessions_revoked` in the same transaction, so tokens and live connections
 * issued before that instant stop working.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Updateable } from 'kysely';
import type { DatabaseSchema, UsersTable } from '../platform/db/schema.ts';
import { forbidden, invalidRequest, notFound } from '../platform/errors/app-error.ts';
import type { EventRecorder } from '../platform/events/outbox.ts';
import type { DirectoryCredentials, User } from './directory.types.ts';
import { DIRECTORY_TOPICS, type SessionsRevokedEvent, type UserEvent } from './directory.events.ts';
import { assertNotLastGlobalAdmin } from './roles.ts';
import { audited, uniquely, type Actor, type DirectoryDeps } from './service-support.ts';
import { selectDomain } from './tenant.store.ts';
import {
  insertUser,
  selectPasswordHash,
  selectUserByUpn,
  selectUserInTenant,
  updateUserRow,
  type NewUserRow,
} from './user.store.ts';
import {
  assertPasswordAllowed,
  parseUpn,
  profileChanges,
  type NewUserInput,
  type UserPatch,
} from './user.rules.ts';

export interface UserService extends DirectoryCredentials {
  createUser(tenantId: string, input: NewUserInput, actor: Actor): Promise<User>;
  updateUser(tenantId: string, userId: string, patch: UserPatch, actor: Actor): Promise<User>;
  /** An admin sets a new password; the user's sessions end. */
  setPassword(tenantId: string, userId: string, password: string, actor: Actor): Promise<void>;
  /** The user changes their own password, proving the current one; other sessions end. */
  changePassword(
    tenantId: string,
    userId: string,
    current: string,
    next: string,
    actor: Actor,
  ): Promise<void>;
  disableUser(tenantId: string, userId: string, actor: Actor): Promise<User>;
  enableUser(tenantId: string, userId: string, actor: Actor): Promise<User>;
  /** Signs the user out everywhere. */
  revokeSessions(tenantId: string, userId: string, actor: Actor): Promise<User>;
}

/** The row of a new user; `input` must already be validated and `upn` normalised. */
export function newUserRow(args: {
  id: string;
  tenantId: string;
  upn: string;
  input: NewUserInput;
  passwordHash: string | null;
  at: number;
}): NewUserRow {
  const { changes } = profileChanges(args.input);
  const { input, at } = args;
  return {
    id: args.id,
    tenant_id: args.tenantId,
    user_principal_name: args.upn,
    mail: changes.mail ?? null,
    display_name: input.displayName,
    given_name: changes.given_name ?? null,
    surname: changes.surname ?? null,
    job_title: changes.job_title ?? null,
    department: changes.department ?? null,
    office_location: changes.office_location ?? null,
    business_phones: changes.business_phones ?? '[]',
    mobile_phone: changes.mobile_phone ?? null,
    time_zone: changes.time_zone ?? null,
    preferred_language: changes.preferred_language ?? null,
    user_type: input.userType ?? 'Member',
    account_enabled: input.accountEnabled === false ? 0 : 1,
    password_hash: args.passwordHash,
    password_changed_at: args.passwordHash === null ? null : at,
    sessions_valid_after: at,
    created_at: at,
    updated_at: at,
  };
}

export function createUserService(deps: DirectoryDeps): UserService {
  const now = deps.now ?? Date.now;
  const db = deps.database.db;
  const engine = deps.database.engine;

  async function requireUser(tenantId: string, userId: string): Promise<User> {
    const user = await selectUserInTenant(db, tenantId, userId);
    if (user === undefined) throw notFound('The user does not exist.');
    return user;
  }

  async function requireVerifiedDomain(tenantId: string, domain: string): Promise<void> {
    const found = await selectDomain(db, domain);
    if (found?.tenantId !== tenantId || !found.isVerified)
      throw invalidRequest('The user principal name must use a verified domain of the tenant.', [
        { path: '/userPrincipalName', message: 'domain is not a verified domain of the tenant' },
      ]);
  }

  /** Updates the user and records `directory.user.updated` (plus a revocation when `revoke`). */
  async function write(
    user: User,
    changes: Updateable<UsersTable>,
    changed: readonly string[],
    options: { revoke?: boolean; guardLastAdmin?: boolean } = {},
  ): Promise<User> {
    const at = now();
    const row: Updateable<UsersTable> = { ...changes, updated_at: at };
    if (options.revoke === true) row.sessions_valid_after = at;
    return uniquely('Another user has this user principal name.', () =>
      deps.outbox.transaction(async (trx, events) => {
        if (options.guardLastAdmin === true)
          await assertNotLastGlobalAdmin(trx, engine, user.tenantId, user.id);
        await updateUserRow(trx, user.id, row);
        recordUpdate(events, user, changed, options.revoke === true ? at : undefined);
        return reread(trx, user);
      }),
    );
  }

  function recordUpdate(events: EventRecorder, user: User, changed: readonly string[], revokedAt?: number) {
    const ids = { tenantId: user.tenantId, userId: user.id };
    if (revokedAt !== undefined)
      events.record<SessionsRevokedEvent>(DIRECTORY_TOPICS.sessionsRevoked, { ...ids, at: revokedAt });
    if (changed.length > 0) events.record<UserEvent>(DIRECTORY_TOPICS.userUpdated, { ...ids, changed });
  }

  async function reread(trx: Kysely<DatabaseSchema>, user: User): Promise<User> {
    const fresh = await selectUserInTenant(trx, user.tenantId, user.id);
    if (fresh === undefined) throw notFound('The user does not exist.');
    return fresh;
  }

  async function storePassword(user: User, password: string, actor: Actor, action: string): Promise<void> {
    await audited(
      deps.audit,
      { actor, tenantId: user.tenantId, action, target: { type: 'user', id: user.id } },
      async () => {
        assertPasswordAllowed(password, user.userPrincipalName);
        const hash = await deps.hasher.hash(password);
        await write(user, { password_hash: hash, password_changed_at: now() }, ['password'], {
          revoke: true,
        });
      },
    );
  }

  const target = (user: User) => ({ type: 'user', id: user.id });

  return {
    createUser(tenantId, input, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'user.created',
          target,
          details: () => ({ hasPassword: input.password !== undefined }),
        },
        async () => {
          const { upn, domain } = parseUpn(input.userPrincipalName);
          await requireVerifiedDomain(tenantId, domain);
          // Validates the profile fields before any work is done.
          profileChanges(input);
          if (input.password !== undefined) assertPasswordAllowed(input.password, upn);
          const hash = input.password === undefined ? null : await deps.hasher.hash(input.password);
          const at = now();
          const id = randomUUID();
          return uniquely('Another user has this user principal name.', () =>
            deps.outbox.transaction(async (trx, events) => {
              await insertUser(trx, newUserRow({ id, tenantId, upn, input, passwordHash: hash, at }));
              events.record<UserEvent>(DIRECTORY_TOPICS.userCreated, { tenantId, userId: id });
              const created = await selectUserInTenant(trx, tenantId, id);
              if (created === undefined) throw new Error('inserted user not found');
              return created;
            }),
          );
        },
      );
    },

    updateUser(tenantId, userId, patch, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'user.updated',
          target: { type: 'user', id: userId },
          details: { fields: Object.keys(patch).sort().join(',') },
        },
        async () => {
          const user = await requireUser(tenantId, userId);
          const { changes, changed } = profileChanges(patch);
          if (patch.userPrincipalName !== undefined) {
            const { upn, domain } = parseUpn(patch.userPrincipalName);
            await requireVerifiedDomain(tenantId, domain);
            changes.user_principal_name = upn;
            changed.push('userPrincipalName');
          }
          if (changed.length === 0) return user;
          return write(user, changes, changed);
        },
      );
    },

    async setPassword(tenantId, userId, password, actor) {
      const user = await requireUser(tenantId, userId);
      await storePassword(user, password, actor, 'user.password_reset');
    },

    async changePassword(tenantId, userId, current, next, actor) {
      const user = await requireUser(tenantId, userId);
      const stored = await selectPasswordHash(db, user.id);
      const ok = typeof stored === 'string' && (await deps.hasher.verify(stored, current));
      if (!ok) {
        await deps.audit.record({
          tenantId,
          actor: { type: actor.type, ...(actor.id === undefined ? {} : { id: actor.id }) },
          ...(actor.sourceIp === undefined ? {} : { sourceIp: actor.sourceIp }),
          action: 'user.password_changed',
          target: target(user),
          outcome: 'failure',
          reason: 'invalid_credentials',
        });
        throw forbidden('The current password is not correct.');
      }
      await storePassword(user, next, actor, 'user.password_changed');
    },

    disableUser(tenantId, userId, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'user.disabled', target: { type: 'user', id: userId } },
        async () => {
          const user = await requireUser(tenantId, userId);
          return write(user, { account_enabled: 0 }, ['accountEnabled'], {
            revoke: true,
            guardLastAdmin: true,
          });
        },
      );
    },

    enableUser(tenantId, userId, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'user.enabled', target: { type: 'user', id: userId } },
        async () => {
          const user = await requireUser(tenantId, userId);
          return write(user, { account_enabled: 1 }, ['accountEnabled']);
        },
      );
    },

    revokeSessions(tenantId, userId, actor) {
      return audited(
        deps.audit,
        { actor, tenantId, action: 'user.sessions_revoked', target: { type: 'user', id: userId } },
        async () => write(await requireUser(tenantId, userId), {}, [], { revoke: true }),
      );
    },

    async checkPassword(upn, password) {
      const user = upn.length > 320 ? undefined : await selectUserByUpn(db, upn);
      const stored = user === undefined ? undefined : await selectPasswordHash(db, user.id);
      if (user === undefined || typeof stored !== 'string') {
        await deps.hasher.dummyVerify(password);
        return user === undefined
          ? { ok: false, reason: 'invalid_credentials' }
          : { ok: false, reason: 'invalid_credentials', userId: user.id };
      }
      if (!(await deps.hasher.verify(stored, password)))
        return { ok: false, reason: 'invalid_credentials', userId: user.id };
      if (!user.accountEnabled) return { ok: false, reason: 'account_disabled', userId: user.id };
      return { ok: true, user };
    },
  };
}
