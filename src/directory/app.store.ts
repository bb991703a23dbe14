/** SQL for app registrations, their secrets and certificates, and admin consents. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  AppCertificatesTable,
  AppRegistrationsTable,
  AppSecretsTable,
  DatabaseSchema,
} from '../platform/db/schema.ts';
import type { AppCertificate, AppConsent, AppRegistration, AppSecretInfo } from './apps.types.ts';
import { escapeLike, flag, parseJson } from './rows.ts';

type Db = Kysely<DatabaseSchema>;

function toApp(row: Selectable<AppRegistrationsTable>): AppRegistration {
  return {
    id: row.id,
    appId: row.app_id,
    tenantId: row.tenant_id,
    displayName: row.display_name,
    signInAudience: row.sign_in_audience,
    isPublicClient: row.is_public_client === 1,
    redirectUris: parseJson<string[]>(row.redirect_uris),
    identifierUris: parseJson<string[]>(row.identifier_uris),
    apiScopes: parseJson<AppRegistration['apiScopes']>(row.api_scopes),
    appRoles: parseJson<AppRegistration['appRoles']>(row.app_roles),
    requiredResourceAccess: parseJson<AppRegistration['requiredResourceAccess']>(
      row.required_resource_access,
    ),
    isFirstParty: row.is_first_party === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The JSON and flag columns of a registration, from the record. */
function appColumns(app: Omit<AppRegistration, 'id' | 'appId' | 'tenantId' | 'createdAt'>) {
  return {
    display_name: app.displayName,
    sign_in_audience: app.signInAudience,
    is_public_client: flag(app.isPublicClient),
    redirect_uris: JSON.stringify(app.redirectUris),
    identifier_uris: JSON.stringify(app.identifierUris),
    api_scopes: JSON.stringify(app.apiScopes),
    app_roles: JSON.stringify(app.appRoles),
    required_resource_access: JSON.stringify(app.requiredResourceAccess),
    is_first_party: flag(app.isFirstParty),
    updated_at: app.updatedAt,
  };
}

export async function insertApp(db: Db, app: AppRegistration): Promise<void> {
  await db
    .insertInto('app_registrations')
    .values({
      id: app.id,
      app_id: app.appId,
      tenant_id: app.tenantId,
      created_at: app.createdAt,
      ...appColumns(app),
    })
    .execute();
}

export async function updateApp(db: Db, app: AppRegistration): Promise<void> {
  await db.updateTable('app_registrations').set(appColumns(app)).where('app_id', '=', app.appId).execute();
}

export async function selectApp(db: Db, appId: string): Promise<AppRegistration | undefined> {
  const row = await db
    .selectFrom('app_registrations')
    .selectAll()
    .where('app_id', '=', appId)
    .executeTakeFirst();
  return row === undefined ? undefined : toApp(row);
}

export async function selectTenantApps(db: Db, tenantId: string): Promise<AppRegistration[]> {
  const rows = await db
    .selectFrom('app_registrations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('display_name')
    .orderBy('app_id')
    .execute();
  return rows.map(toApp);
}

/** Registrations whose identifier URIs include `uri` exactly. */
export async function selectAppsByIdentifierUri(db: Db, uri: string): Promise<AppRegistration[]> {
  // JSON text contains the URI as a quoted string; the LIKE narrows, the exact test decides.
  const pattern = `%${escapeLike(JSON.stringify(uri))}%`;
  const rows = await db
    .selectFrom('app_registrations')
    .selectAll()
    .where('identifier_uris', 'like', sql<string>`${pattern} escape '\\'`)
    .execute();
  return rows.map(toApp).filter((a) => a.identifierUris.includes(uri));
}

function toSecretInfo(row: Selectable<AppSecretsTable>): AppSecretInfo {
  return {
    id: row.id,
    appId: row.app_id,
    displayName: row.display_name,
    hint: row.hint,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}

export async function insertSecret(db: Db, secret: AppSecretInfo & { secretHash: string }): Promise<void> {
  await db
    .insertInto('app_secrets')
    .values({
      id: secret.id,
      app_id: secret.appId,
      display_name: secret.displayName,
      hint: secret.hint,
      secret_hash: secret.secretHash,
      expires_at: secret.expiresAt,
      created_at: secret.createdAt,
    })
    .execute();
}

export async function selectSecrets(db: Db, appId: string): Promise<AppSecretInfo[]> {
  const rows = await db
    .selectFrom('app_secrets')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('created_at')
    .execute();
  return rows.map(toSecretInfo);
}

/** Unexpired secrets with this hint, with their hashes (for verification only). */
export async function selectSecretHashes(
  db: Db,
  appId: string,
  hint: string,
  now: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('app_secrets')
    .select('secret_hash')
    .where('app_id', '=', appId)
    .where('hint', '=', hint)
    .where('expires_at', '>', now)
    .execute();
  return rows.map((r) => r.secret_hash);
}

export async function deleteSecret(db: Db, appId: string, secretId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('app_secrets')
    .where('app_id', '=', appId)
    .where('id', '=', secretId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

function toCertificate(row: Selectable<AppCertificatesTable>): AppCertificate {
  return {
    id: row.id,
    appId: row.app_id,
    displayName: row.display_name,
    thumbprintSha256: row.thumbprint_sha256,
    thumbprintSha1: row.thumbprint_sha1,
    certificatePem: row.certificate_pem,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}

export async function insertCertificate(db: Db, cert: AppCertificate): Promise<void> {
  await db
    .insertInto('app_certificates')
    .values({
      id: cert.id,
      app_id: cert.appId,
      display_name: cert.displayName,
      thumbprint_sha256: cert.thumbprintSha256,
      thumbprint_sha1: cert.thumbprintSha1,
      certificate_pem: cert.certificatePem,
      expires_at: cert.expiresAt,
      created_at: cert.createdAt,
    })
    .execute();
}

/** Certificates of the app; with `validAt`, only those that have not expired by then. */
export async function selectCertificates(db: Db, appId: string, validAt?: number): Promise<AppCertificate[]> {
  let query = db.selectFrom('app_certificates').selectAll().where('app_id', '=', appId);
  if (validAt !== undefined) query = query.where('expires_at', '>', validAt);
  const rows = await query.orderBy('created_at').execute();
  return rows.map(toCertificate);
}

export async function deleteCertificate(db: Db, appId: string, certificateId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('app_certificates')
    .where('app_id', '=', appId)
    .where('id', '=', certificateId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function upsertConsent(db: Db, consent: AppConsent): Promise<void> {
  const changes = {
    scopes: JSON.stringify(consent.scopes),
    roles: JSON.stringify(consent.roles),
    consented_by: consent.consentedBy,
    consented_at: consent.consentedAt,
  };
  await db
    .insertInto('app_consents')
    .values({ tenant_id: consent.tenantId, app_id: consent.appId, resource: consent.resource, ...changes })
    .onConflict((oc) => oc.columns(['tenant_id', 'app_id', 'resource']).doUpdateSet(changes))
    .execute();
}

export async function selectConsent(
  db: Db,
  tenantId: string,
  appId: string,
  resource: string,
): Promise<AppConsent | undefined> {
  const row = await db
    .selectFrom('app_consents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', appId)
    .where('resource', '=', resource)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        tenantId: row.tenant_id,
        appId: row.app_id,
        resource: row.resource,
        scopes: parseJson<string[]>(row.scopes),
        roles: parseJson<string[]>(row.roles),
        consentedBy: row.consented_by,
        consentedAt: row.consented_at,
      };
}
