/**
 * The directory and the identity provider's storage: tenants and their domains, users and their
 * credentials, groups, licences, admin roles, policies, app registrations, the OpenID provider's
 * artefacts and its signing keys.
 *
 * Booleans are integers (0/1) on both engines so rows read back identically. Ids are UUIDs in
 * lower case (MSAL lower-cases authorities, so tenant ids must already be lower case).
 */
import { sql } from 'kysely';
import type { ParleyMigration } from './types.ts';

export const m0002Directory: ParleyMigration = {
  name: '0002_directory',
  async up(db) {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      /** JSON: { requireMfa, allowedNetworks: string[] } */
      .addColumn('sign_in_policy', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('tenant_domains')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('is_verified', 'integer', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      .addColumn('verification_code', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tenant_domains_tenant').on('tenant_domains').column('tenant_id').execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      /** Lower-cased; unique across the whole installation (UPN domains are verified per tenant). */
      .addColumn('user_principal_name', 'text', (c) => c.notNull().unique())
      .addColumn('mail', 'text')
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('given_name', 'text')
      .addColumn('surname', 'text')
      .addColumn('job_title', 'text')
      .addColumn('department', 'text')
      .addColumn('office_location', 'text')
      /** JSON array of strings. */
      .addColumn('business_phones', 'text', (c) => c.notNull())
      .addColumn('mobile_phone', 'text')
      .addColumn('time_zone', 'text')
      .addColumn('preferred_language', 'text')
      /** 'Member' or 'Guest' (Graph's userType). */
      .addColumn('user_type', 'text', (c) => c.notNull())
      .addColumn('account_enabled', 'integer', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('password_changed_at', 'bigint')
      /** Tokens issued before this instant are refused (disable, sign-out everywhere, password reset). */
      .addColumn('sessions_valid_after', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('users_tenant_name')
      .on('users')
      .columns(['tenant_id', 'display_name', 'id'])
      .execute();

    await db.schema
      .createTable('user_mfa')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
      /** AES-256-GCM sealed TOTP secret (see identity/crypto). */
      .addColumn('totp_secret_sealed', 'text')
      /** Null while enrolment is pending verification. */
      .addColumn('totp_confirmed_at', 'bigint')
      /** RFC 6238 time step of the last accepted code: a code is never accepted twice. */
      .addColumn('totp_last_step', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('user_recovery_codes')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_recovery_codes_pk', ['user_id', 'code_hash'])
      .execute();

    await db.schema
      .createTable('groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('mail_nickname', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('groups_tenant')
      .on('groups')
      .columns(['tenant_id', 'display_name'])
      .execute();

    await db.schema
      .createTable('group_members')
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
      .execute();
    await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

    // Licences: the catalogue of SKUs is fixed in code (directory/licences.ts); a tenant holds a
    // number of seats of a SKU and assigns them to users.
    await db.schema
      .createTable('tenant_licences')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('sku_id', 'text', (c) => c.notNull())
      .addColumn('seats', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('tenant_licences_pk', ['tenant_id', 'sku_id'])
      .execute();
    await db.schema
      .createTable('user_licences')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('sku_id', 'text', (c) => c.notNull())
      .addColumn('assigned_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_licences_pk', ['user_id', 'sku_id'])
      .execute();

    await db.schema
      .createTable('role_assignments')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      /** Directory role name, e.g. 'globalAdministrator', 'userAdministrator'. */
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('assigned_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('role_assignments_pk', ['user_id', 'role'])
      .execute();

    // Policies: one row per named policy of a kind; exactly one per (tenant, kind) is the default.
    await db.schema
      .createTable('policies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      /** 'meeting' | 'messaging' | 'presencePrivacy' | 'federation' | 'appPermission' */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      /** JSON, validated by the kind's schema on every write. */
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('policies_name', ['tenant_id', 'kind', 'name'])
      .execute();
    await db.schema
      .createTable('policy_assignments')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('assigned_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_assignments_pk', ['user_id', 'kind'])
      .execute();

    await db.schema
      .createTable('app_registrations')
      /** Object id of the registration. */
      .addColumn('id', 'text', (c) => c.primaryKey())
      /** The OAuth client id (Graph's appId). */
      .addColumn('app_id', 'text', (c) => c.notNull().unique())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      /** 'AzureADMyOrg' (single tenant) or 'AzureADMultipleOrgs'. */
      .addColumn('sign_in_audience', 'text', (c) => c.notNull())
      /** 1 for public clients (SPA, CLI, device code): no secret, PKCE required. */
      .addColumn('is_public_client', 'integer', (c) => c.notNull())
      /** JSON arrays. */
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('identifier_uris', 'text', (c) => c.notNull())
      /** JSON: scopes this app exposes as an API [{value, description}]. */
      .addColumn('api_scopes', 'text', (c) => c.notNull())
      /** JSON: application roles this app exposes [{value, description}]. */
      .addColumn('app_roles', 'text', (c) => c.notNull())
      /** JSON: requested permissions [{resource, scopes: [], roles: []}]. */
      .addColumn('required_resource_access', 'text', (c) => c.notNull())
      /** 1 for registrations Parley itself owns (the web client, the CLI). */
      .addColumn('is_first_party', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('app_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('app_registrations.app_id'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      /** First three characters, shown to admins to tell secrets apart (as Entra's hint). */
      .addColumn('hint', 'text', (c) => c.notNull())
      /** scrypt hash of the secret; the secret itself is shown once and never stored. */
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('app_secrets_app').on('app_secrets').column('app_id').execute();

    await db.schema
      .createTable('app_certificates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('app_registrations.app_id'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      /** base64url SHA-256 and SHA-1 thumbprints (x5t#S256, x5t). */
      .addColumn('thumbprint_sha256', 'text', (c) => c.notNull())
      .addColumn('thumbprint_sha1', 'text', (c) => c.notNull())
      .addColumn('certificate_pem', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('app_certificates_app').on('app_certificates').column('app_id').execute();

    /** Admin consent: a tenant grants an app delegated scopes and/or application roles on a resource. */
    await db.schema
      .createTable('app_consents')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('app_id', 'text', (c) => c.notNull().references('app_registrations.app_id'))
      .addColumn('resource', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('consented_by', 'text', (c) => c.notNull())
      .addColumn('consented_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('app_consents_pk', ['tenant_id', 'app_id', 'resource'])
      .execute();

    // Storage for oidc-provider's models (sessions, interactions, codes, refresh tokens, grants,
    // device codes…): one row per artefact, looked up by id, grant, user code or uid.
    await db.schema
      .createTable('oidc_artifacts')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text')
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('user_code', 'text')
      .addColumn('uid', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('oidc_artifacts_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oidc_artifacts_grant').on('oidc_artifacts').column('grant_id').execute();
    await db.schema
      .createIndex('oidc_artifacts_user_code')
      .on('oidc_artifacts')
      .columns(['model', 'user_code'])
      .execute();
    await db.schema
      .createIndex('oidc_artifacts_uid')
      .on('oidc_artifacts')
      .columns(['model', 'uid'])
      .execute();
    await db.schema
      .createIndex('oidc_artifacts_expiry')
      .on('oidc_artifacts')
      .column('expires_at')
      .where(sql<boolean>`expires_at is not null`)
      .execute();

    // Token signing keys. The private half is sealed with the installation's key-encryption key.
    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      /** 'tokens' for the identity provider; later issuers (bot channel) use their own purpose. */
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      /** Signing starts here; published in the JWKS from creation (pre-publication overlap). */
      .addColumn('activates_at', 'bigint', (c) => c.notNull())
      /** Stops signing here; still published until `expires_at` so tokens it signed verify. */
      .addColumn('retires_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
