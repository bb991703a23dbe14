/**
 * Kysely table types for every table Parley owns. A domain module adds its tables here together
 * with the migration that creates them.
 *
 * Conventions (identical on SQLite and PostgreSQL so one query works on both):
 * - Timestamps are integer milliseconds since the Unix epoch (UTC), column type bigint. Integers
 *   compare, index and sort the same way on both engines, unlike SQLite's text dates versus
 *   PostgreSQL's timestamptz (which the driver would turn into `Date` objects on one engine only).
 * - Auto-increment ids are bigint; the PostgreSQL driver is configured to return int8 as `number`
 *   (see database.ts), so rows read back look the same on both engines.
 * - JSON is stored as text and parsed by the owning module.
 */
import type { Generated } from 'kysely';

/** Transactional outbox: domain events written with the data, published after commit. */
export interface OutboxEventsTable {
  id: Generated<number>;
  /** UUID of the event; the buses deduplicate deliveries by it. */
  event_id: string;
  topic: string;
  /** The event payload as JSON text. */
  payload: string;
  created_at: number;
  /** When a publisher claimed the row; a claim older than the lease may be taken over. */
  claimed_at: number | null;
  /** Node id of the claiming publisher (diagnostics only). */
  claimed_by: string | null;
  published_at: number | null;
  /** How many times the row has been claimed. More than one means a publisher died mid-way. */
  attempts: Generated<number>;
}

/** 0/1: booleans are integers on both engines. */
export type Flag = 0 | 1;

export interface TenantsTable {
  id: string;
  display_name: string;
  sign_in_policy: string;
  created_at: number;
}
export interface TenantDomainsTable {
  name: string;
  tenant_id: string;
  is_verified: Flag;
  is_default: Flag;
  verification_code: string;
  created_at: number;
}
export interface UsersTable {
  id: string;
  tenant_id: string;
  user_principal_name: string;
  mail: string | null;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  job_title: string | null;
  department: string | null;
  office_location: string | null;
  business_phones: string;
  mobile_phone: string | null;
  time_zone: string | null;
  preferred_language: string | null;
  user_type: 'Member' | 'Guest';
  account_enabled: Flag;
  password_hash: string | null;
  password_changed_at: number | null;
  sessions_valid_after: number;
  created_at: number;
  updated_at: number;
}
export interface UserMfaTable {
  user_id: string;
  totp_secret_sealed: string | null;
  totp_confirmed_at: number | null;
  totp_last_step: number | null;
  updated_at: number;
}
export interface UserRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}
export interface GroupsTable {
  id: string;
  tenant_id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string;
  created_at: number;
}
export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: number;
}
export interface TenantLicencesTable {
  tenant_id: string;
  sku_id: string;
  seats: number;
}
export interface UserLicencesTable {
  user_id: string;
  sku_id: string;
  assigned_at: number;
}
export interface RoleAssignmentsTable {
  tenant_id: string;
  user_id: string;
  role: string;
  assigned_at: number;
}
export interface PoliciesTable {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  is_default: Flag;
  settings: string;
  updated_at: number;
}
export interface PolicyAssignmentsTable {
  user_id: string;
  kind: string;
  policy_id: string;
  assigned_at: number;
}
export interface AppRegistrationsTable {
  id: string;
  app_id: string;
  tenant_id: string;
  display_name: string;
  sign_in_audience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  is_public_client: Flag;
  redirect_uris: string;
  identifier_uris: string;
  api_scopes: string;
  app_roles: string;
  required_resource_access: string;
  is_first_party: Flag;
  created_at: number;
  updated_at: number;
}
export interface AppSecretsTable {
  id: string;
  app_id: string;
  display_name: string;
  hint: string;
  secret_hash: string;
  expires_at: number;
  created_at: number;
}
export interface AppCertificatesTable {
  id: string;
  app_id: string;
  display_name: string;
  thumbprint_sha256: string;
  thumbprint_sha1: string;
  certificate_pem: string;
  expires_at: number;
  created_at: number;
}
export interface AppConsentsTable {
  tenant_id: string;
  app_id: string;
  resource: string;
  scopes: string;
  roles: string;
  consented_by: string;
  consented_at: number;
}
export interface OidcArtifactsTable {
  model: string;
  id: string;
  tenant_id: string | null;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}
export interface SigningKeysTable {
  kid: string;
  purpose: string;
  alg: string;
  public_jwk: string;
  private_jwk_sealed: string;
  created_at: number;
  activates_at: number;
  retires_at: number;
  expires_at: number;
}
/** Append-only, hash-chained audit log (see src/audit/). UPDATE and DELETE are refused by triggers. */
export interface AuditLogTable {
  /** Chain order. */
  id: Generated<number>;
  occurred_at: number;
  tenant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  source_ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  reason: string | null;
  /** JSON object text with sorted keys, exactly as hashed. */
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface DatabaseSchema {
  outbox_events: OutboxEventsTable;
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  users: UsersTable;
  user_mfa: UserMfaTable;
  user_recovery_codes: UserRecoveryCodesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  tenant_licences: TenantLicencesTable;
  user_licences: UserLicencesTable;
  role_assignments: RoleAssignmentsTable;
  policies: PoliciesTable;
  policy_assignments: PolicyAssignmentsTable;
  app_registrations: AppRegistrationsTable;
  app_secrets: AppSecretsTable;
  app_certificates: AppCertificatesTable;
  app_consents: AppConsentsTable;
  oidc_artifacts: OidcArtifactsTable;
  signing_keys: SigningKeysTable;
  audit_log: AuditLogTable;
}
