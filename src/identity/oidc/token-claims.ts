/**
 * Entra-shaped claims (research I6, I7). Access tokens carry `iss, aud, sub, oid, tid, azp, appid,
 * ver, idtyp` plus `scp` (delegated: space-separated, without the resource prefix) or `roles`
 * (application permissions from admin consent), the user's `name` and `preferred_username`, and
 * `gid`, the grant (sign-in) the token belongs to, so that revoking the sign-in revokes its
 * tokens at once. ID tokens carry what MSAL builds its account from.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { User } from '../../directory/directory.types.ts';
import type { ProviderDeps } from './provider-factory.ts';
import { GRAPH_DELEGATED_SCOPES, GRAPH_RESOURCE, OIDC_SCOPES, shortScope } from './resources.ts';

export function idTokenClaims(user: User): { sub: string; [claim: string]: unknown } {
  return {
    sub: user.id,
    oid: user.id,
    tid: user.tenantId,
    ver: '2.0',
    name: user.displayName,
    preferred_username: user.userPrincipalName,
    login_hint: user.userPrincipalName,
    given_name: user.givenName ?? undefined,
    family_name: user.surname ?? undefined,
    email: user.mail ?? undefined,
  };
}

interface TokenLike {
  readonly kind: string;
  readonly accountId?: string;
  readonly clientId?: string;
  readonly grantId?: string;
  readonly scope?: string;
  readonly resourceServer?: { identifier(): string } | undefined;
}

interface JwtParts {
  header?: Record<string, unknown> | undefined;
  payload: Record<string, unknown>;
}

export function accessTokenCustomizer(tenantId: string, deps: ProviderDeps) {
  return async (_ctx: KoaContextWithOIDC, token: unknown, parts: JwtParts): Promise<void> => {
    const t = token as TokenLike;
    const clientId = t.clientId ?? String(parts.payload.client_id);
    const resource = t.resourceServer?.identifier() ?? String(parts.payload.aud);
    const scopeNames = (t.scope ?? '')
      .split(' ')
      .filter((s) => s !== '' && !OIDC_SCOPES.has(s))
      .map(shortScope);
    // Entra's typ is "JWT" for access tokens (research I6); ID tokens never carry `idtyp`, which
    // is how Parley's resource server tells the two apart (besides the audience).
    parts.header = { ...parts.header, typ: 'JWT' };
    const p = parts.payload;
    delete p.scope;
    p.tid = tenantId;
    p.ver = '2.0';
    p.azp = clientId;
    p.appid = clientId;
    if (t.kind === 'ClientCredentials' || t.accountId === undefined) {
      const consent = await deps.directory.consent(tenantId, clientId, resource);
      p.idtyp = 'app';
      p.oid = clientId;
      p.sub = clientId;
      p.roles = [...(consent?.roles ?? [])];
      return;
    }
    const user = await deps.directory.reader.getUser(tenantId, t.accountId);
    p.idtyp = 'user';
    p.oid = t.accountId;
    if (t.grantId !== undefined && t.grantId !== '') p.gid = t.grantId;
    p.scp = (await expandDefault(scopeNames, tenantId, clientId, resource, deps)).join(' ');
    if (user !== undefined) {
      p.name = user.displayName;
      p.preferred_username = user.userPrincipalName;
    }
  };
}

/** `.default` means every delegated scope the app may have (first party: all of Graph's). */
async function expandDefault(
  names: readonly string[],
  tenantId: string,
  clientId: string,
  resource: string,
  deps: ProviderDeps,
): Promise<string[]> {
  if (!names.includes('.default')) return [...new Set(names)];
  const rest = names.filter((n) => n !== '.default');
  const client = await deps.directory.findClient(clientId);
  if (client?.isFirstParty === true && resource === GRAPH_RESOURCE)
    return [...new Set([...rest, ...GRAPH_DELEGATED_SCOPES])];
  const consent = await deps.directory.consent(tenantId, clientId, resource);
  return [...new Set([...rest, ...(consent?.scopes ?? [])])];
}
