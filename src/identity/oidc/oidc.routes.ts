/**
 * Entra-shaped identity endpoints (research I1): every tenant's provider under `/{tenant}` where
 * `{tenant}` is the tenant id or one of its verified domains (case-insensitive, as MSAL
 * lower-cases authorities), plus `/organizations` and `/common`, which pick the tenant from the
 * request: the login hint on authorize, and the client or the presented code / refresh token /
 * device code on the token endpoint. All of these routes are public: they are the sign-in surface.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import type { DirectoryReader } from '../../directory/directory.types.ts';
import { badRequest, notFound } from '../../platform/errors/app-error.ts';
import type { TenantProviders } from './tenant-providers.ts';
import { forwardToProvider } from './forward.ts';
import { rewriteAuthorizeQuery, rewriteTokenRequest } from './token-request.ts';
import { multiTenantDiscovery } from './discovery.ts';
import { tenantOfArtifact } from './oidc-adapter.ts';

const MULTI_TENANT = new Set(['organizations', 'common']);
const BODY_LIMIT = 56 * 1024;
const PUBLIC = { config: { public: true } } as const;

export interface OidcRoutesDeps {
  readonly providers: TenantProviders;
  readonly reader: DirectoryReader;
  readonly database: Database;
  readonly origin: () => string;
  /** Which tenant an app registration lives in (token requests at /common). */
  readonly homeTenantOfClient: (clientId: string) => Promise<string | undefined>;
}

export async function registerOidcRoutes(app: FastifyInstance, deps: OidcRoutesDeps): Promise<void> {
  await app.register((scope, _opts, done) => {
    // oidc-provider reads bodies itself; here they are only buffered (bounded) so they can be
    // inspected, rewritten and replayed to it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
      done(null, body);
    });

    const resolveTenant = async (segment: string): Promise<string> => {
      const tenant = await deps.reader.resolveTenant(segment.toLowerCase());
      if (tenant === undefined) throw notFound('No such tenant or domain.');
      return tenant.id;
    };

    const handle = async (request: FastifyRequest, reply: FastifyReply, segment: string, inner: string) => {
      const query = queryOf(request.url);
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      const lower = segment.toLowerCase();
      if (MULTI_TENANT.has(lower)) return handleMultiTenant(request, reply, lower, inner, query, body);
      const tenantId = await resolveTenant(segment);
      const provider = await deps.providers.forTenant(tenantId);
      const rewritten =
        inner === '/oauth2/v2.0/token' && body !== undefined ? rewriteTokenRequest(body) : body;
      await forwardToProvider(request, reply, {
        provider,
        mountPath: `/${tenantId}`,
        innerUrl: `${inner}${inner === '/oauth2/v2.0/authorize' ? rewriteAuthorizeQuery(query) : query}`,
        ...(rewritten !== undefined ? { body: rewritten } : {}),
      });
    };

    const handleMultiTenant = async (
      request: FastifyRequest,
      reply: FastifyReply,
      segment: string,
      inner: string,
      query: string,
      body: Buffer | undefined,
    ) => {
      if (
        inner === '/.well-known/openid-configuration' ||
        inner === '/v2.0/.well-known/openid-configuration'
      ) {
        return reply.send(multiTenantDiscovery(deps.origin(), segment));
      }
      if (inner === '/discovery/v2.0/keys') {
        const keys = await deps.providers.keys();
        return reply.send({ keys: keys.published.map((k) => k.publicJwk) });
      }
      if (inner === '/oauth2/v2.0/authorize') {
        const params = new URLSearchParams(query.slice(1));
        const hint = params.get('domain_hint') ?? params.get('login_hint')?.split('@')[1];
        const tenant = hint !== undefined ? await deps.reader.resolveTenant(hint.toLowerCase()) : undefined;
        if (tenant !== undefined) return reply.redirect(`/${tenant.id}${inner}${query}`, 302);
        // No hint: the account page asks for the user's address, then continues at their tenant.
        return reply.redirect(`/login/account?next=${encodeURIComponent(`${inner}${query}`)}`, 302);
      }
      if (inner === '/oauth2/v2.0/token' && body !== undefined) {
        const rewritten = rewriteTokenRequest(body);
        const tenantId = await tenantOfTokenRequest(rewritten, request);
        if (tenantId === undefined) throw badRequest('Use your organization\u2019s sign-in address.');
        const provider = await deps.providers.forTenant(tenantId);
        return forwardToProvider(request, reply, {
          provider,
          mountPath: `/${tenantId}`,
          innerUrl: inner,
          body: rewritten,
        });
      }
      throw notFound('Use your organization\u2019s sign-in address for this endpoint.');
    };

    /** The tenant that issued the presented code or token, else the client's home tenant. */
    const tenantOfTokenRequest = async (
      body: Buffer,
      request: FastifyRequest,
    ): Promise<string | undefined> => {
      const params = new URLSearchParams(body.toString('utf8'));
      const artefacts: [string, string | null][] = [
        ['AuthorizationCode', params.get('code')],
        ['RefreshToken', params.get('refresh_token')],
        ['DeviceCode', params.get('device_code')],
      ];
      for (const [model, id] of artefacts) {
        const tenantId = id === null ? undefined : await tenantOfArtifact(deps.database, model, id);
        if (tenantId !== undefined) return tenantId;
      }
      const clientId = params.get('client_id') ?? basicClientId(request.headers.authorization);
      return clientId === undefined ? undefined : deps.homeTenantOfClient(clientId);
    };

    scope.get<{ Params: { tenant: string } }>(
      '/:tenant/v2.0/.well-known/openid-configuration',
      PUBLIC,
      (req, reply) => handle(req, reply, req.params.tenant, '/.well-known/openid-configuration'),
    );
    scope.get<{ Params: { tenant: string } }>(
      '/:tenant/.well-known/openid-configuration',
      PUBLIC,
      (req, reply) => handle(req, reply, req.params.tenant, '/.well-known/openid-configuration'),
    );
    scope.get<{ Params: { tenant: string } }>('/:tenant/discovery/v2.0/keys', PUBLIC, (req, reply) =>
      handle(req, reply, req.params.tenant, '/discovery/v2.0/keys'),
    );
    for (const prefix of ['oauth2/v2.0', 'oidc']) {
      scope.route<{ Params: { tenant: string; '*': string } }>({
        method: ['GET', 'POST', 'OPTIONS'],
        url: `/:tenant/${prefix}/*`,
        ...PUBLIC,
        handler: (req, reply) => handle(req, reply, req.params.tenant, `/${prefix}/${req.params['*']}`),
      });
    }
    done();
  });
}

function queryOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index);
}

function basicClientId(header: string | undefined): string | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon <= 0 ? undefined : decodeURIComponent(decoded.slice(0, colon));
}
