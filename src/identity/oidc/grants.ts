/**
 * The on-behalf-of grant (research I11): a middle-tier API trades the user token it received for
 * a token to a downstream API, keeping the user's identity. MSAL sends
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, `requested_token_use=on_behalf_of`,
 * `assertion` and `scope`. The assertion must be a user access token from this tenant whose
 * audience is the calling client, and the user must still be enabled.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { ProviderDeps } from './provider-factory.ts';
import { issuerFor } from './provider-factory.ts';
import { JWT_BEARER_GRANT } from './client-metadata.ts';
import { ScopeError, parseScopes } from './resources.ts';
import { resourceIndicators } from './resource-servers.ts';
import { issuedBefore } from '../auth/token-authenticator.ts';

export function registerEntraGrants(provider: Provider, tenantId: string, deps: ProviderDeps): void {
  const keySet = createLocalJWKSet({ keys: deps.keys.published.map((k) => k.publicJwk) });
  const resources = resourceIndicators(tenantId, deps);

  const onBehalfOf = async (ctx: KoaContextWithOIDC): Promise<void> => {
    const params = ctx.oidc.params as Record<string, unknown>;
    if (params.requested_token_use !== 'on_behalf_of')
      throw new errors.InvalidRequest('requested_token_use must be on_behalf_of');
    const assertion = params.assertion;
    if (typeof assertion !== 'string' || assertion.length > 16_384)
      throw new errors.InvalidGrant('assertion is missing or too long');
    const client = ctx.oidc.client;
    if (client === undefined) throw new errors.InvalidClient('client authentication is required');

    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(assertion, keySet, {
        issuer: issuerFor(deps.origin, tenantId),
        audience: client.clientId,
        algorithms: ['RS256'],
        typ: 'JWT',
        clockTolerance: 60,
      }));
    } catch {
      throw new errors.InvalidGrant('the assertion is not a valid token for this client');
    }
    const userId = claims.oid;
    if (claims.idtyp !== 'user' || typeof userId !== 'string' || claims.tid !== tenantId)
      throw new errors.InvalidGrant('the assertion must be a user token from this tenant');
    const user = await deps.directory.reader.getUser(tenantId, userId);
    if (!user?.accountEnabled) throw new errors.InvalidGrant('the user is not allowed to sign in');
    if (issuedBefore(typeof claims.iat === 'number' ? claims.iat : undefined, user.sessionsValidAfter))
      throw new errors.InvalidGrant('the assertion was revoked');

    let parsed;
    try {
      parsed = parseScopes(typeof params.scope === 'string' ? params.scope : undefined);
    } catch (error) {
      if (error instanceof ScopeError) throw new errors.InvalidTarget(error.message);
      throw error;
    }
    if (parsed.resource === undefined)
      throw new errors.InvalidScope('scope must name the downstream API', '');
    const info = await resources.getResourceServerInfo(ctx, parsed.resource);
    const allowed = new Set(info.scope.split(' '));
    const requested = (typeof params.scope === 'string' ? params.scope : '')
      .split(' ')
      .filter((s) => allowed.has(s));
    if (requested.length === 0)
      throw new errors.InvalidScope('none of the requested scopes is available', String(params.scope));

    const token = new provider.AccessToken({
      accountId: userId,
      client,
      scope: requested.join(' '),
      gty: 'on_behalf_of',
      // No sign-in of this client backs the token; revocation follows the user's state instead.
      grantId: '',
    });
    token.resourceServer = new provider.ResourceServer(parsed.resource, info);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      token_type: 'Bearer',
      expires_in: token.expiration,
      ext_expires_in: token.expiration,
      scope: token.scope,
    };
  };

  provider.registerGrantType(JWT_BEARER_GRANT, onBehalfOf, ['assertion', 'requested_token_use', 'scope']);
}
