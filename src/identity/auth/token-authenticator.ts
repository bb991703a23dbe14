/**
 * Recognises callers by the bearer access tokens Parley's identity provider issues (RFC 6750).
 * Checks, in order: compact JWS with `typ: JWT` and RS256 only (no `none`, no HMAC key confusion,
 * RFC 8725 §3.1), a `kid` among the published keys (no `jku`/`x5u`/`jwk` header is ever followed),
 * the tenant's issuer, Parley's API as audience, `exp`/`nbf` with 5 minutes of skew, Entra's
 * `ver`/`idtyp` (an ID token has no `idtyp`), and then live state: the user is enabled, the token
 * was issued after the user's last revocation, and its sign-in (grant) still exists; an app's
 * registration still exists. Live state is cached for two seconds, so revocation takes effect
 * within seconds on every node.
 */
import type { FastifyRequest } from 'fastify';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { Authenticator, Principal } from '../../platform/http/access.ts';
import type { Database } from '../../platform/db/database.ts';
import type { DirectoryReader } from '../../directory/directory.types.ts';
import type { AuditLog } from '../../audit/audit.types.ts';
import type { TenantProviders } from '../oidc/tenant-providers.ts';
import type { KeySet } from '../oidc/signing-keys.ts';
import { GRAPH_RESOURCE, GRAPH_APP_ID } from '../oidc/resources.ts';
import { LiveStateCache } from './live-state-cache.ts';

const MAX_TOKEN_LENGTH = 16_384;
const CLOCK_SKEW_SEC = 300;

export interface TokenAuthenticatorDeps {
  readonly providers: TenantProviders;
  readonly reader: DirectoryReader;
  readonly database: Database;
  readonly origin: () => string;
  readonly audit: AuditLog;
  readonly appExists: (appId: string) => Promise<boolean>;
}

/** Verification key sets, built once per loaded key set rather than on every request. */
const keySets = new WeakMap<KeySet, ReturnType<typeof createLocalJWKSet>>();
function verificationKeys(keys: KeySet): ReturnType<typeof createLocalJWKSet> {
  let keySet = keySets.get(keys);
  if (keySet === undefined) {
    keySet = createLocalJWKSet({ keys: keys.published.map((k) => k.publicJwk) });
    keySets.set(keys, keySet);
  }
  return keySet;
}

/** The outcome of a token check: a principal, or why there is none. */
export interface TokenCheck {
  readonly principal?: Principal;
  readonly reason?: string;
  readonly tenantId?: string;
}

export class TokenAuthenticator implements Authenticator {
  readonly #deps: TokenAuthenticatorDeps;
  readonly #live: LiveStateCache;

  constructor(deps: TokenAuthenticatorDeps) {
    this.#deps = deps;
    this.#live = new LiveStateCache(deps.reader, deps.database, deps.appExists);
  }

  /** Forgets cached live state for a user at once (called on revocation events). */
  forgetUser(tenantId: string, userId: string): void {
    this.#live.forgetUser(tenantId, userId);
  }

  async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    if (match?.[1] === undefined || match[1].length > MAX_TOKEN_LENGTH)
      return this.#reject(request, 'malformed');
    const result = await this.verify(match[1]);
    if (result.principal === undefined)
      return this.#reject(request, result.reason ?? 'invalid_token', result.tenantId);
    return result.principal;
  }

  /** Verifies a token without a request (WebSockets, tests). */
  async verify(token: string): Promise<TokenCheck> {
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return { reason: 'malformed' };
    }
    if (header.alg !== 'RS256') return { reason: 'algorithm_not_allowed' };
    if (header.jku !== undefined || header.x5u !== undefined || header.jwk !== undefined)
      return { reason: 'header_not_allowed' };
    const keys =
      typeof header.kid === 'string' && header.kid.length <= 128
        ? await this.#deps.providers.keysIncluding(header.kid)
        : await this.#deps.providers.keys();
    const keySet = verificationKeys(keys);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: ['RS256'],
        typ: 'JWT',
        audience: [GRAPH_RESOURCE, GRAPH_APP_ID],
        clockTolerance: CLOCK_SKEW_SEC,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'tid', 'oid', 'ver', 'idtyp'],
      }));
    } catch (error) {
      const { code, claim } = error as { code?: string; claim?: string };
      return { reason: `${code ?? 'invalid_token'}${claim !== undefined ? `:${claim}` : ''}` };
    }
    const tenantId = payload.tid;
    if (typeof tenantId !== 'string') return { reason: 'invalid_claims' };
    if (payload.iss !== `${this.#deps.origin()}/${tenantId}/v2.0`)
      return { reason: 'wrong_issuer', tenantId };
    if (payload.ver !== '2.0') return { reason: 'wrong_version', tenantId };
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SEC)
      return { reason: 'issued_in_future', tenantId };
    const appId = typeof payload.azp === 'string' ? payload.azp : undefined;
    if (appId === undefined) return { reason: 'invalid_claims', tenantId };

    if (payload.idtyp === 'app') {
      if (!(await this.#live.appActive(appId))) return { reason: 'app_removed', tenantId };
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r) => typeof r === 'string') : [];
      return { principal: { kind: 'app', id: appId, tenantId, appId, roles } };
    }
    if (payload.idtyp !== 'user' || typeof payload.oid !== 'string')
      return { reason: 'invalid_claims', tenantId };
    const user = await this.#live.user(tenantId, payload.oid);
    if (!user?.accountEnabled) return { reason: 'user_disabled', tenantId };
    if (issuedBefore(payload.iat, user.sessionsValidAfter)) return { reason: 'token_revoked', tenantId };
    if (typeof payload.gid === 'string' && !(await this.#live.grantActive(tenantId, payload.gid)))
      return { reason: 'token_revoked', tenantId };
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter((s) => s !== '') : [];
    return {
      principal: { kind: 'user', id: user.id, tenantId, appId, scopes, userType: user.userType },
    };
  }

  async #reject(request: FastifyRequest, reason: string, tenantId?: string): Promise<undefined> {
    await this.#deps.audit
      .record({
        tenantId: tenantId ?? null,
        actor: { type: 'anonymous' },
        sourceIp: request.ip,
        action: 'token.rejected',
        outcome: 'failure',
        reason,
        details: { method: request.method, route: request.routeOptions.url ?? 'unmatched' },
      })
      .catch((err: unknown) => request.log.warn({ err }, 'audit write failed'));
    return undefined;
  }
}

/**
 * `iat` has one-second resolution (RFC 7519 NumericDate) while revocation times are in
 * milliseconds: a token counts as issued before a revocation when its second is earlier. (A token
 * issued in the same second as the revocation stays valid; disabling also checks the account.)
 */
export function issuedBefore(iat: number | undefined, revokedAtMs: number): boolean {
  return (iat ?? 0) < Math.floor(revokedAtMs / 1000);
}
