/**
 * RFC 8707 resource indicators, fed from the requested scopes (research I5): the resource is
 * derived from `scope` when the client sends no `resource`, and each resource gets JWT access
 * tokens with its own audience and scopes.
 */
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { ProviderDeps } from './provider-factory.ts';
import {
  GRAPH_APPLICATION_ROLES,
  GRAPH_DELEGATED_SCOPES,
  GRAPH_RESOURCE,
  ScopeError,
  canonicalResource,
  parseScopes,
  scopeSpellings,
} from './resources.ts';

export function resourceIndicators(_tenantId: string, deps: ProviderDeps) {
  const accessTokenTTL = deps.config.identity.accessTokenTtlSec;
  return {
    enabled: true,
    defaultResource: (ctx: KoaContextWithOIDC, _client: unknown, oneOf?: readonly string[]) => {
      const params = ctx.oidc.params as { scope?: unknown; resource?: unknown } | undefined;
      const scope = typeof params?.scope === 'string' ? params.scope : undefined;
      try {
        const parsed = parseScopes(scope);
        if (parsed.resource !== undefined) return Promise.resolve(parsed.resource);
      } catch (error) {
        if (error instanceof ScopeError) throw new errors.InvalidTarget(error.message);
        throw error;
      }
      // Only OIDC scopes: the granted resource (refresh) or, for sign-in alone, Graph (User.Read
      // is implied by Entra for sign-in).
      if (oneOf !== undefined && oneOf.length > 0) return Promise.resolve(oneOf[0] ?? GRAPH_RESOURCE);
      return Promise.resolve(GRAPH_RESOURCE);
    },
    useGrantedResource: () => Promise.resolve(true),
    getResourceServerInfo: async (_ctx: KoaContextWithOIDC, indicator: string) => {
      const resource = canonicalResource(indicator);
      if (resource === GRAPH_RESOURCE) {
        const names = [...new Set([...GRAPH_DELEGATED_SCOPES, ...GRAPH_APPLICATION_ROLES, '.default'])];
        return {
          scope: scopeSpellings(GRAPH_RESOURCE, names).join(' '),
          audience: GRAPH_RESOURCE,
          accessTokenTTL,
          accessTokenFormat: 'jwt' as const,
          jwt: { sign: { alg: 'RS256' as const } },
        };
      }
      const api = await deps.directory.findApi(resource);
      if (api === undefined) throw new errors.InvalidTarget('the requested resource is not registered');
      return {
        scope: scopeSpellings(resource, [...api.apiScopes, ...api.apiRoles, '.default']).join(' '),
        // Entra v2 tokens for an app's API carry the app id as audience.
        audience: api.appId,
        accessTokenTTL,
        accessTokenFormat: 'jwt' as const,
        jwt: { sign: { alg: 'RS256' as const } },
      };
    },
  };
}
