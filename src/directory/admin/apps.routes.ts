/**
 * `/api/v1/admin/apps`: app registrations, their client secrets (the secret appears in the
 * response that creates it and never again), certificates and admin consent.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { MAX_CERTIFICATE_PEM_LENGTH, MAX_SECRET_LIFETIME_DAYS } from '../app-credentials.service.ts';
import {
  MAX_EXPOSED,
  MAX_IDENTIFIER_URIS,
  MAX_REDIRECT_URIS,
  MAX_RESOURCES,
  MAX_URI_LENGTH,
} from '../app.rules.ts';
import type { AppCertificate, AppRegistration, AppSecretInfo } from '../apps.types.ts';
import type { Directory } from '../directory.ts';
import type { Actor } from '../service-support.ts';
import type { AdminAccess } from './admin-access.ts';
import { ADMIN_PREFIX, closed, Id, iso } from './admin.schemas.ts';

const Uri = Type.String({ minLength: 1, maxLength: MAX_URI_LENGTH });
const Token = Type.String({ minLength: 1, maxLength: 120 });
const Exposed = Type.Object({ value: Token, description: Type.String({ maxLength: 1024 }) }, closed);
const ResourceAccess = Type.Object(
  {
    resource: Uri,
    scopes: Type.Array(Token, { maxItems: MAX_EXPOSED }),
    roles: Type.Array(Token, { maxItems: MAX_EXPOSED }),
  },
  closed,
);
const SettingsFields = {
  displayName: Type.String({ minLength: 1, maxLength: 256 }),
  signInAudience: Type.Union([Type.Literal('AzureADMyOrg'), Type.Literal('AzureADMultipleOrgs')]),
  isPublicClient: Type.Boolean(),
  redirectUris: Type.Array(Uri, { maxItems: MAX_REDIRECT_URIS }),
  identifierUris: Type.Array(Uri, { maxItems: MAX_IDENTIFIER_URIS }),
  apiScopes: Type.Array(Exposed, { maxItems: MAX_EXPOSED }),
  appRoles: Type.Array(Exposed, { maxItems: MAX_EXPOSED }),
  requiredResourceAccess: Type.Array(ResourceAccess, { maxItems: MAX_RESOURCES }),
};
/** Every setting but the display name, each optional. */
const OptionalSettings = {
  signInAudience: Type.Optional(SettingsFields.signInAudience),
  isPublicClient: Type.Optional(SettingsFields.isPublicClient),
  redirectUris: Type.Optional(SettingsFields.redirectUris),
  identifierUris: Type.Optional(SettingsFields.identifierUris),
  apiScopes: Type.Optional(SettingsFields.apiScopes),
  appRoles: Type.Optional(SettingsFields.appRoles),
  requiredResourceAccess: Type.Optional(SettingsFields.requiredResourceAccess),
};
const CreateApp = Type.Object({ displayName: SettingsFields.displayName, ...OptionalSettings }, closed);
const PatchApp = Type.Object(
  { displayName: Type.Optional(SettingsFields.displayName), ...OptionalSettings },
  { ...closed, minProperties: 1 },
);

const AdminApp = Type.Object(
  {
    id: Type.String(),
    appId: Type.String(),
    ...SettingsFields,
    isFirstParty: Type.Boolean(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  closed,
);
function presentApp(app: AppRegistration) {
  return {
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    signInAudience: app.signInAudience,
    isPublicClient: app.isPublicClient,
    redirectUris: [...app.redirectUris],
    identifierUris: [...app.identifierUris],
    apiScopes: app.apiScopes.map((s) => ({ value: s.value, description: s.description })),
    appRoles: app.appRoles.map((r) => ({ value: r.value, description: r.description })),
    requiredResourceAccess: app.requiredResourceAccess.map((r) => ({
      resource: r.resource,
      scopes: [...r.scopes],
      roles: [...r.roles],
    })),
    isFirstParty: app.isFirstParty,
    createdAt: iso(app.createdAt),
    updatedAt: iso(app.updatedAt),
  };
}

const SecretFields = {
  id: Type.String(),
  displayName: Type.String(),
  hint: Type.String(),
  expiresAt: Type.String(),
  createdAt: Type.String(),
};
const AdminSecret = Type.Object(SecretFields, closed);
/** Only in the reply to creation. */
const NewSecret = Type.Object({ ...SecretFields, secret: Type.String() }, closed);
const presentSecret = (s: AppSecretInfo) => ({
  id: s.id,
  displayName: s.displayName,
  hint: s.hint,
  expiresAt: iso(s.expiresAt),
  createdAt: iso(s.createdAt),
});

const AdminCertificate = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    thumbprintSha256: Type.String(),
    thumbprintSha1: Type.String(),
    expiresAt: Type.String(),
    createdAt: Type.String(),
  },
  closed,
);
const presentCertificate = (c: AppCertificate) => ({
  id: c.id,
  displayName: c.displayName,
  thumbprintSha256: c.thumbprintSha256,
  thumbprintSha1: c.thumbprintSha1,
  expiresAt: iso(c.expiresAt),
  createdAt: iso(c.createdAt),
});

const AppParams = Type.Object({ appId: Id }, closed);
const CredentialParams = Type.Object({ appId: Id, credentialId: Id }, closed);
const Consent = Type.Object(
  {
    resource: Uri,
    scopes: Type.Array(Token, { maxItems: MAX_EXPOSED }),
    roles: Type.Array(Token, { maxItems: MAX_EXPOSED }),
  },
  closed,
);
const AdminConsent = Type.Object(
  {
    appId: Type.String(),
    resource: Type.String(),
    scopes: Type.Array(Type.String()),
    roles: Type.Array(Type.String()),
    consentedAt: Type.String(),
  },
  closed,
);

export function registerAppRoutes(root: FastifyInstance, directory: Directory, access: AdminAccess): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { apps, appCredentials } = directory.service;
  const base = `${ADMIN_PREFIX}/apps`;

  app.get(
    base,
    { schema: { response: { 200: Type.Object({ apps: Type.Array(AdminApp) }, closed) } } },
    async (request) => {
      const caller = await access.require(request, 'apps');
      return { apps: (await apps.listApps(caller.tenantId)).map(presentApp) };
    },
  );

  app.post(base, { schema: { body: CreateApp, response: { 201: AdminApp } } }, async (request, reply) => {
    const caller = await access.require(request, 'apps');
    return reply
      .code(201)
      .send(presentApp(await apps.createApp(caller.tenantId, request.body, caller.actor)));
  });

  app.get(
    `${base}/:appId`,
    { schema: { params: AppParams, response: { 200: AdminApp } } },
    async (request) => {
      const caller = await access.require(request, 'apps');
      return presentApp(await apps.getTenantApp(caller.tenantId, request.params.appId.toLowerCase()));
    },
  );

  app.patch(
    `${base}/:appId`,
    { schema: { params: AppParams, body: PatchApp, response: { 200: AdminApp } } },
    async (request) => {
      const caller = await access.require(request, 'apps');
      const appId = request.params.appId.toLowerCase();
      return presentApp(await apps.updateApp(caller.tenantId, appId, request.body, caller.actor));
    },
  );

  app.get(
    `${base}/:appId/secrets`,
    {
      schema: {
        params: AppParams,
        response: { 200: Type.Object({ secrets: Type.Array(AdminSecret) }, closed) },
      },
    },
    async (request) => {
      const caller = await access.require(request, 'apps');
      const secrets = await appCredentials.listSecrets(caller.tenantId, request.params.appId.toLowerCase());
      return { secrets: secrets.map(presentSecret) };
    },
  );

  app.post(
    `${base}/:appId/secrets`,
    {
      schema: {
        params: AppParams,
        body: Type.Object(
          {
            displayName: Type.String({ minLength: 1, maxLength: 128 }),
            lifetimeDays: Type.Integer({ minimum: 1, maximum: MAX_SECRET_LIFETIME_DAYS }),
          },
          closed,
        ),
        response: { 201: NewSecret },
      },
    },
    async (request, reply) => {
      const caller = await access.require(request, 'apps');
      const appId = request.params.appId.toLowerCase();
      const { secret, info } = await appCredentials.addSecret(
        caller.tenantId,
        appId,
        request.body,
        caller.actor,
      );
      // The one time the secret leaves the server; nothing may cache this reply.
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...presentSecret(info), secret });
    },
  );

  app.get(
    `${base}/:appId/certificates`,
    {
      schema: {
        params: AppParams,
        response: { 200: Type.Object({ certificates: Type.Array(AdminCertificate) }, closed) },
      },
    },
    async (request) => {
      const caller = await access.require(request, 'apps');
      const certificates = await appCredentials.listTenantCertificates(
        caller.tenantId,
        request.params.appId.toLowerCase(),
      );
      return { certificates: certificates.map(presentCertificate) };
    },
  );

  app.post(
    `${base}/:appId/certificates`,
    {
      schema: {
        params: AppParams,
        body: Type.Object(
          {
            pem: Type.String({ minLength: 1, maxLength: MAX_CERTIFICATE_PEM_LENGTH }),
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          },
          closed,
        ),
        response: { 201: AdminCertificate },
      },
    },
    async (request, reply) => {
      const caller = await access.require(request, 'apps');
      const appId = request.params.appId.toLowerCase();
      const certificate = await appCredentials.addCertificate(
        caller.tenantId,
        appId,
        request.body,
        caller.actor,
      );
      return reply.code(201).send(presentCertificate(certificate));
    },
  );

  const removals = [
    [
      'secrets',
      (t: string, a: string, id: string, actor: Actor) => appCredentials.removeSecret(t, a, id, actor),
    ],
    [
      'certificates',
      (t: string, a: string, id: string, actor: Actor) => appCredentials.removeCertificate(t, a, id, actor),
    ],
  ] as const;
  for (const [collection, remove] of removals)
    app.delete(
      `${base}/:appId/${collection}/:credentialId`,
      { schema: { params: CredentialParams } },
      async (request, reply) => {
        const caller = await access.require(request, 'apps');
        const { appId, credentialId } = request.params;
        await remove(caller.tenantId, appId.toLowerCase(), credentialId.toLowerCase(), caller.actor);
        return reply.code(204).send();
      },
    );

  app.post(
    `${base}/:appId/consents`,
    { schema: { params: AppParams, body: Consent, response: { 200: AdminConsent } } },
    async (request) => {
      const caller = await access.require(request, 'apps');
      const consent = await apps.grantAdminConsent(
        caller.tenantId,
        request.params.appId.toLowerCase(),
        request.body,
        caller.actor,
      );
      return {
        appId: consent.appId,
        resource: consent.resource,
        scopes: [...consent.scopes],
        roles: [...consent.roles],
        consentedAt: iso(consent.consentedAt),
      };
    },
  );
}
