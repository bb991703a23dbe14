/**
 * Which API (resource) a token is for, worked out the way Entra does from the requested scopes,
 * because MSAL sends only `scope` and never RFC 8707's `resource` (research I5):
 *   `https://graph.microsoft.com/.default`, `https://graph.microsoft.com/User.Read`, bare
 *   `User.Read` (means Graph), `00000003-0000-0000-c000-000000000000/.default`, `api://{app}/x`.
 * Parley's own API is the Graph-shaped API, so its resource id stays `https://graph.microsoft.com`
 * and unmodified app scopes keep working.
 */

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** Graph's application id, which Entra also accepts as its resource prefix. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** OpenID Connect scopes that never name a resource. */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Delegated permissions of Parley's Graph-shaped API. */
export const GRAPH_DELEGATED_SCOPES = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'Directory.Read.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'Chat.Read',
  'Chat.ReadWrite',
  'ChatMessage.Send',
  'ChannelMessage.Send',
  'ChannelMessage.Read.All',
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
  'Presence.Read',
  'Presence.Read.All',
  'Presence.ReadWrite',
  'OnlineMeetings.Read',
  'OnlineMeetings.ReadWrite',
  'Calendars.Read',
  'TeamsAppInstallation.ReadForUser',
  'AuditLog.Read.All',
] as const;

/** Application permissions (app roles) of Parley's Graph-shaped API. */
export const GRAPH_APPLICATION_ROLES = [
  'User.Read.All',
  'Directory.Read.All',
  'Group.Read.All',
  'Chat.Read.All',
  'Chat.ReadWrite.All',
  'ChatMessage.Read.All',
  'ChannelMessage.Read.All',
  'Team.ReadBasic.All',
  'Presence.ReadWrite.All',
  'OnlineMeetings.ReadWrite.All',
  'TeamsAppInstallation.ReadWriteForUser.All',
] as const;

/** Delegated scopes any user may consent to for themselves (the rest need admin consent). */
export const USER_CONSENTABLE = new Set([
  'User.Read',
  'User.ReadBasic.All',
  'openid',
  'profile',
  'email',
  'offline_access',
]);

export interface ParsedScopes {
  /** The resource every non-OIDC scope belongs to, if any was requested. */
  readonly resource: string | undefined;
  /** Scope names without the resource prefix (`User.Read`, `.default`). */
  readonly scopes: readonly string[];
  readonly oidc: readonly string[];
}

export class ScopeError extends Error {
  readonly code: 'invalid_target' | 'invalid_scope';
  constructor(code: 'invalid_target' | 'invalid_scope', message: string) {
    super(message);
    this.code = code;
  }
}

/** Splits a scope string; throws `invalid_target` when scopes span two resources (AADSTS28000). */
export function parseScopes(scope: string | undefined): ParsedScopes {
  const oidc: string[] = [];
  const scopes: string[] = [];
  let resource: string | undefined;
  for (const token of (scope ?? '').split(' ').filter((t) => t !== '')) {
    if (OIDC_SCOPES.has(token)) {
      oidc.push(token);
      continue;
    }
    const [tokenResource, name] = splitScope(token);
    if (resource !== undefined && resource !== tokenResource)
      throw new ScopeError('invalid_target', 'the requested scopes are for more than one resource');
    resource = tokenResource;
    scopes.push(name);
  }
  return { resource, scopes, oidc };
}

function splitScope(token: string): [string, string] {
  const slash = token.lastIndexOf('/');
  if (slash === -1) return [GRAPH_RESOURCE, token];
  const prefix = token.slice(0, slash);
  const name = token.slice(slash + 1);
  if (name === '') throw new ScopeError('invalid_scope', 'a scope has an empty name');
  return [canonicalResource(prefix), name];
}

/** Maps Graph's aliases to one resource id; other resources are kept as written. */
export function canonicalResource(resource: string): string {
  const lower = resource.toLowerCase();
  if (lower === GRAPH_RESOURCE || lower === `${GRAPH_RESOURCE}/` || lower === GRAPH_APP_ID)
    return GRAPH_RESOURCE;
  return resource;
}

/** Every spelling of a scope oidc-provider must accept for a resource (short and prefixed). */
export function scopeSpellings(resource: string, names: readonly string[]): string[] {
  const prefixes =
    resource === GRAPH_RESOURCE ? ['', `${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`] : [`${resource}/`];
  return names.flatMap((name) => prefixes.map((p) => `${p}${name}`));
}

/** Strips the resource prefix: what goes into `scp`. */
export function shortScope(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash === -1 ? token : token.slice(slash + 1);
}
