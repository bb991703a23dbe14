/**
 * Builds one oidc-provider instance for one tenant, shaped like an Entra tenant so that stock
 * MSAL clients work with configuration only (research note "graph-identity", items I1–I12):
 * Entra's endpoint paths, JWT access tokens per resource with Entra's claims, `client_info`,
 * device-code quirks, refresh tolerance and the `select_account`/`create` prompts.
 */
import Provider, { interactionPolicy, type Configuration } from 'oidc-provider';
import type { Database } from '../../platform/db/database.ts';
import type { Config } from '../../config/config.ts';
import type { KeySet } from './signing-keys.ts';
import type { OidcDirectory } from './oidc-directory.ts';
import { tenantAdapter } from './oidc-adapter.ts';
import { clientMetadata, HASHED_SECRET_PLACEHOLDER } from './client-metadata.ts';
import { accessTokenCustomizer, idTokenClaims } from './token-claims.ts';
import { resourceIndicators } from './resource-servers.ts';
import {
  deviceCodeConfirmPage,
  deviceCodeInputPage,
  deviceCodeSuccessPage,
  errorPage,
  logoutConfirmPage,
  signedOutPage,
} from './pages.ts';
import { registerEntraGrants } from './grants.ts';

/** Entra's endpoint paths under `/{tenant}` (research I1, I2). */
export const ENTRA_ROUTES = {
  authorization: '/oauth2/v2.0/authorize',
  token: '/oauth2/v2.0/token',
  device_authorization: '/oauth2/v2.0/devicecode',
  code_verification: '/oauth2/v2.0/deviceauth',
  end_session: '/oauth2/v2.0/logout',
  jwks: '/discovery/v2.0/keys',
  revocation: '/oauth2/v2.0/revoke',
  userinfo: '/oidc/userinfo',
  pushed_authorization_request: '/oauth2/v2.0/par',
} as const;

export interface ProviderDeps {
  readonly database: Database;
  readonly config: Config;
  readonly directory: OidcDirectory;
  readonly keys: KeySet;
  /** Signs the provider's cookies (HMAC keys; the first signs, all verify). */
  readonly cookieKeys: readonly string[];
  readonly origin: string;
}

/** The issuer of a tenant, as Entra v2 writes it. */
export function issuerFor(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/v2.0`;
}

export function createTenantProvider(tenantId: string, deps: ProviderDeps): Provider {
  const { config, directory } = deps;
  const accessTtl = config.identity.accessTokenTtlSec;
  const refreshTtl = config.identity.refreshTokenTtlSec;

  const findClient = async (clientId: string) => {
    const record = await directory.findClient(clientId);
    if (record === undefined) return undefined;
    // A single-tenant app exists only in its own tenant; multi-tenant apps in every tenant.
    if (record.homeTenantId !== tenantId && !record.multiTenant) return undefined;
    const ctx = Provider.ctx;
    const params = ctx?.oidc.params as Record<string, unknown> | undefined;
    return clientMetadata(record, { clientAssertion: params?.client_assertion !== undefined });
  };

  const policy = interactionPolicy.base();
  // MSAL apps commonly pass prompt=select_account or prompt=create (research I12): both lead to
  // the sign-in page, which is where an account is chosen or, later, created.
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }));
  policy.add(new interactionPolicy.Prompt({ name: 'create', requestable: true }));

  const configuration: Configuration = {
    adapter: tenantAdapter(deps.database, tenantId, findClient),
    clients: [],
    jwks: { keys: deps.keys.published.map((k) => k.privateJwk) },
    routes: ENTRA_ROUTES,
    findAccount: async (_ctx, sub) => {
      const user = await directory.reader.getUser(tenantId, sub);
      if (!user?.accountEnabled) return undefined;
      return { accountId: user.id, claims: () => idTokenClaims(user) };
    },
    claims: {
      openid: ['sub', 'oid', 'tid', 'ver', 'login_hint'],
      profile: ['name', 'preferred_username', 'given_name', 'family_name'],
      email: ['email'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Profile claims go into the ID token itself: MSAL builds its account from them (I7).
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    cookies: {
      keys: [...deps.cookieKeys],
      names: {
        session: `parley_session_${tenantId.replace(/-/g, '').slice(0, 12)}`,
        interaction: '_parley_interaction',
        resume: '_parley_interaction_resume',
      },
      long: { httpOnly: true, sameSite: 'lax', secure: true, signed: true },
      short: { httpOnly: true, sameSite: 'lax', secure: true, signed: true },
    },
    ttl: {
      AccessToken: accessTtl,
      ClientCredentials: accessTtl,
      AuthorizationCode: 60,
      DeviceCode: 900,
      IdToken: 3600,
      Interaction: 900,
      Grant: refreshTtl,
      Session: refreshTtl,
      RefreshToken: (_ctx, token) => {
        // The family's life is fixed at sign-in: rotation does not extend it.
        // A new token has no `iat` until it is saved (typed as always present).
        const now = Math.floor(Date.now() / 1000);
        const issuedAt = (token as { iat?: number }).iat ?? now;
        const remaining = issuedAt + refreshTtl - now;
        return Math.max(remaining, 1);
      },
    },
    rotateRefreshToken: true,
    // Signing out ends every grant of the browser session, refresh tokens included (security
    // plan T18), rather than letting offline_access grants outlive the sign-out.
    expiresWithSession: () => true,
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    interactions: {
      policy,
      url: (_ctx, interaction) => `/login/${interaction.uid}`,
    },
    loadExistingGrant: async (ctx) => {
      const grantId =
        (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ??
        ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      return grantId === undefined ? undefined : ctx.oidc.provider.Grant.find(grantId);
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client may revoke only tokens issued to itself (RFC 7009 §2.1).
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => Promise.resolve(token.clientId === client.clientId),
      },
      introspection: { enabled: false },
      userinfo: { enabled: true },
      resourceIndicators: resourceIndicators(tenantId, deps),
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: (ctx, form, _out, err) => {
          ctx.body = deviceCodeInputPage(
            form,
            err === undefined ? undefined : 'That code is not valid or has expired. Try again.',
          );
          return Promise.resolve();
        },
        userCodeConfirmSource: (ctx, form, client, _info, userCode) => {
          ctx.body = deviceCodeConfirmPage(form, client.clientName ?? client.clientId, userCode);
          return Promise.resolve();
        },
        successSource: (ctx) => {
          ctx.body = deviceCodeSuccessPage(ctx.oidc.client?.clientName ?? 'The application');
          return Promise.resolve();
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutConfirmPage(form);
          return Promise.resolve();
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = signedOutPage();
          return Promise.resolve();
        },
      },
    },
    extraTokenClaims: () => undefined,
    formats: { customizers: { jwt: accessTokenCustomizer(tenantId, deps) } },
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) === true,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
      return Promise.resolve();
    },
    enabledJWA: {
      // Client assertions: MSAL signs with PS256 (x5t#S256) or RS256 (x5t) (research I10).
      clientAuthSigningAlgValues: ['PS256', 'RS256', 'ES256'],
      idTokenSigningAlgValues: ['RS256'],
    },
  };

  const provider = new Provider(issuerFor(deps.origin, tenantId), configuration);
  provider.proxy = false;

  // Secrets are stored as scrypt hashes; oidc-provider compares plaintext, so the comparison is
  // replaced by a check against every unexpired hash of the client (RFC 6749 §2.3.1).
  const clientPrototype = provider.Client.prototype as unknown as {
    compareClientSecret(this: { clientId: string }, actual: string): Promise<boolean>;
  };
  clientPrototype.compareClientSecret = async function compare(actual: string) {
    if (typeof actual !== 'string' || actual === HASHED_SECRET_PLACEHOLDER) return false;
    return directory.verifyClientSecret(this.clientId, actual);
  };

  registerEntraGrants(provider, tenantId, deps);
  return provider;
}

