/**
 * App registrations: creation and changes by tenant admins, admin consent, and the reads the
 * token endpoint makes. Credentials (secrets, certificates) are in `app-credentials.service.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../platform/db/schema.ts';
import { conflict, forbidden, invalidRequest, notFound } from '../platform/errors/app-error.ts';
import type { AppConsent, AppRegistration, SignInAudience } from './apps.types.ts';
import { isAppAvailableTo } from './apps.types.ts';
import { DIRECTORY_TOPICS, type AppEvent } from './directory.events.ts';
import {
  insertApp,
  selectApp,
  selectAppsByIdentifierUri,
  selectConsent,
  selectTenantApps,
  updateApp,
  upsertConsent,
} from './app.store.ts';
import {
  validateApiScopes,
  validateAppRoles,
  validateIdentifierUris,
  validateRedirectUris,
  validateRequiredResourceAccess,
  validateResource,
  validateTokens,
} from './app.rules.ts';
import { isUuid } from './directory.reader.ts';
import { audited, uniquely, type Actor, type DirectoryDeps } from './service-support.ts';
import { selectDomains } from './tenant.store.ts';

/** What an admin sets on a registration. */
export interface AppSettings {
  readonly displayName?: string;
  readonly signInAudience?: SignInAudience;
  readonly isPublicClient?: boolean;
  readonly redirectUris?: readonly string[];
  readonly identifierUris?: readonly string[];
  readonly apiScopes?: AppRegistration['apiScopes'];
  readonly appRoles?: AppRegistration['appRoles'];
  readonly requiredResourceAccess?: AppRegistration['requiredResourceAccess'];
}

export interface NewAppInput extends AppSettings {
  readonly displayName: string;
}

export interface AppService {
  createApp(tenantId: string, input: NewAppInput, actor: Actor): Promise<AppRegistration>;
  updateApp(tenantId: string, appId: string, patch: AppSettings, actor: Actor): Promise<AppRegistration>;
  /** A registration the tenant owns; 404 for any other (including another tenant's). */
  getTenantApp(tenantId: string, appId: string): Promise<AppRegistration>;
  getApp(appId: string): Promise<AppRegistration | undefined>;
  listApps(tenantId: string): Promise<readonly AppRegistration[]>;
  /** The app an OAuth `resource`/scope prefix names: by app id or by identifier URI. */
  findAppByResource(resource: string): Promise<AppRegistration | undefined>;
  grantAdminConsent(
    tenantId: string,
    appId: string,
    grant: { resource: string; scopes: readonly string[]; roles: readonly string[] },
    actor: Actor,
  ): Promise<AppConsent>;
  getConsent(tenantId: string, appId: string, resource: string): Promise<AppConsent | undefined>;
  /**
   * Creates or updates a registration Parley itself owns (`isFirstParty`), with a fixed app id.
   * Not reachable through the admin API.
   */
  upsertFirstPartyApp(tenantId: string, appId: string, settings: NewAppInput): Promise<AppRegistration>;
}

/** A registration `tenantId` owns; 404 for any other, so other tenants' ids are not revealed. */
export async function requireTenantApp(
  db: Kysely<DatabaseSchema>,
  tenantId: string,
  appId: string,
): Promise<AppRegistration> {
  const app = isUuid(appId) ? await selectApp(db, appId) : undefined;
  if (app?.tenantId !== tenantId) throw notFound('The app registration does not exist.');
  return app;
}

export function createAppService(deps: DirectoryDeps): AppService {
  const now = deps.now ?? Date.now;
  const db = deps.database.db;

  const requireOwned = (tenantId: string, appId: string) => requireTenantApp(db, tenantId, appId);

  /** Validates settings over `base` and returns the resulting registration. */
  async function apply(base: AppRegistration, patch: AppSettings): Promise<AppRegistration> {
    if (patch.displayName?.trim() === '')
      throw invalidRequest('The display name is empty.', [
        { path: '/displayName', message: 'must not be empty' },
      ]);
    let identifierUris = base.identifierUris;
    if (patch.identifierUris !== undefined) {
      const verified = (await selectDomains(db, base.tenantId))
        .filter((d) => d.isVerified)
        .map((d) => d.name);
      identifierUris = validateIdentifierUris(patch.identifierUris, verified);
      for (const uri of identifierUris) {
        const holders = await selectAppsByIdentifierUri(db, uri);
        if (holders.some((a) => a.appId !== base.appId))
          throw conflict('Another app uses this identifier URI.');
      }
    }
    return {
      ...base,
      displayName: patch.displayName?.trim() ?? base.displayName,
      signInAudience: patch.signInAudience ?? base.signInAudience,
      isPublicClient: patch.isPublicClient ?? base.isPublicClient,
      redirectUris:
        patch.redirectUris === undefined ? base.redirectUris : validateRedirectUris(patch.redirectUris),
      identifierUris,
      apiScopes: patch.apiScopes === undefined ? base.apiScopes : validateApiScopes(patch.apiScopes),
      appRoles: patch.appRoles === undefined ? base.appRoles : validateAppRoles(patch.appRoles),
      requiredResourceAccess:
        patch.requiredResourceAccess === undefined
          ? base.requiredResourceAccess
          : validateRequiredResourceAccess(patch.requiredResourceAccess),
      updatedAt: now(),
    };
  }

  function blank(
    tenantId: string,
    appId: string,
    displayName: string,
    isFirstParty: boolean,
  ): AppRegistration {
    const at = now();
    return {
      id: randomUUID(),
      appId,
      tenantId,
      displayName,
      signInAudience: 'AzureADMyOrg',
      isPublicClient: false,
      redirectUris: [],
      identifierUris: [],
      apiScopes: [],
      appRoles: [],
      requiredResourceAccess: [],
      isFirstParty,
      createdAt: at,
      updatedAt: at,
    };
  }

  async function save(app: AppRegistration, isNew: boolean): Promise<AppRegistration> {
    await uniquely('The app registration already exists.', () =>
      deps.outbox.transaction(async (trx, events) => {
        if (isNew) await insertApp(trx, app);
        else await updateApp(trx, app);
        events.record<AppEvent>(DIRECTORY_TOPICS.appUpdated, { tenantId: app.tenantId, appId: app.appId });
      }),
    );
    return app;
  }

  const target = (app: AppRegistration) => ({ type: 'app', id: app.appId });

  return {
    createApp(tenantId, input, actor) {
      return audited(deps.audit, { actor, tenantId, action: 'app.created', target }, async () =>
        save(await apply(blank(tenantId, randomUUID(), input.displayName, false), input), true),
      );
    },

    updateApp(tenantId, appId, patch, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'app.updated',
          target: { type: 'app', id: appId },
          details: { fields: Object.keys(patch).sort().join(',') },
        },
        async () => {
          const app = await requireOwned(tenantId, appId);
          if (app.isFirstParty) throw forbidden('Parley’s own app registrations cannot be changed.');
          return save(await apply(app, patch), false);
        },
      );
    },

    getTenantApp: requireOwned,
    getApp: (appId) => (isUuid(appId) ? selectApp(db, appId) : Promise.resolve(undefined)),
    listApps: (tenantId) => selectTenantApps(db, tenantId),

    async findAppByResource(resource) {
      if (isUuid(resource)) return selectApp(db, resource);
      if (resource.length > 256) return undefined;
      const [app] = await selectAppsByIdentifierUri(db, resource);
      return app;
    },

    grantAdminConsent(tenantId, appId, grant, actor) {
      return audited(
        deps.audit,
        {
          actor,
          tenantId,
          action: 'app.consent_granted',
          target: { type: 'app', id: appId },
          details: { resource: grant.resource, scopes: grant.scopes.join(' '), roles: grant.roles.join(' ') },
        },
        async () => {
          const app = isUuid(appId) ? await selectApp(db, appId) : undefined;
          if (app === undefined || !isAppAvailableTo(app, tenantId))
            throw notFound('The app registration does not exist.');
          const consent: AppConsent = {
            tenantId,
            appId,
            resource: validateResource(grant.resource),
            scopes: validateTokens(grant.scopes, '/scopes'),
            roles: validateTokens(grant.roles, '/roles'),
            consentedBy: actor.id ?? actor.type,
            consentedAt: now(),
          };
          await deps.outbox.transaction(async (trx, events) => {
            await upsertConsent(trx, consent);
            events.record<AppEvent>(DIRECTORY_TOPICS.appUpdated, { tenantId, appId });
          });
          return consent;
        },
      );
    },

    getConsent: (tenantId, appId, resource) => selectConsent(db, tenantId, appId, resource),

    async upsertFirstPartyApp(tenantId, appId, settings) {
      const existing = await selectApp(db, appId);
      if (existing !== undefined && !existing.isFirstParty)
        throw new Error(`app id ${appId} is taken by a tenant's own registration`);
      const base = existing ?? blank(tenantId, appId, settings.displayName, true);
      return save(await apply(base, settings), existing === undefined);
    },
  };
}
