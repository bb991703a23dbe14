/**
 * Events the directory publishes through the outbox, written in the same transaction as the
 * change. The token layer and realtime connections subscribe to `directory.user.sessions_revoked`
 * to drop what a disabled or signed-out user still holds.
 */
import type { PolicyKind } from './policies.schema.ts';

export const DIRECTORY_TOPICS = {
  tenantCreated: 'directory.tenant.created',
  tenantUpdated: 'directory.tenant.updated',
  userCreated: 'directory.user.created',
  userUpdated: 'directory.user.updated',
  sessionsRevoked: 'directory.user.sessions_revoked',
  groupUpdated: 'directory.group.updated',
  policyUpdated: 'directory.policy.updated',
  appUpdated: 'directory.app.updated',
} as const;

export interface TenantEvent {
  readonly tenantId: string;
}
export interface UserEvent {
  readonly tenantId: string;
  readonly userId: string;
  /** Names of the fields that changed (for `directory.user.updated`). */
  readonly changed?: readonly string[];
}
/** Tokens and sessions issued before `at` (epoch ms) are no longer valid. */
export interface SessionsRevokedEvent {
  readonly tenantId: string;
  readonly userId: string;
  readonly at: number;
}
export interface GroupEvent {
  readonly tenantId: string;
  readonly groupId: string;
  /** Present when membership changed. */
  readonly memberId?: string;
}
/** A policy's settings changed, or a user's assignment did (`userId` set). */
export interface PolicyEvent {
  readonly tenantId: string;
  readonly kind: PolicyKind;
  readonly policyId: string;
  readonly userId?: string;
}
export interface AppEvent {
  readonly tenantId: string;
  readonly appId: string;
}
