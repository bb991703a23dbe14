/**
 * Every route is authenticated unless it is on the reviewed public list. A route joins the list
 * with `config: { public: true }`; the guard below refuses everything else with 401 unless the
 * configured Authenticator recognises the caller. Signed-in callers are then held to the
 * principal, tenant and federated-partner rate limits.
 */
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../errors/app-error.ts';
import type { RateLimits } from '../ratelimit/rate-limits.ts';

/** Who is calling, as established by an Authenticator from verified credentials only. */
export interface Principal {
  readonly kind: 'user' | 'app' | 'bot' | 'partner';
  readonly id: string;
  readonly tenantId?: string;
  /** Set for federated callers, from the SAN of their verified mTLS certificate. */
  readonly partnerDomain?: string;
  /** The OAuth client the token was issued to (`azp`). */
  readonly appId?: string;
  /** Delegated scopes (`scp`) of a user token. */
  readonly scopes?: readonly string[];
  /** Application roles (`roles`) of an app-only token. */
  readonly roles?: readonly string[];
  /** 'Member' or 'Guest' for users: guests see less of the directory. */
  readonly userType?: 'Member' | 'Guest';
}

/** Recognises callers from credentials (bearer tokens, session cookies, client certificates). */
export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<Principal | undefined>;
}

/** Until the directory is configured, nobody is recognised: only public routes answer. */
export const noAuthenticator: Authenticator = {
  authenticate: () => Promise.resolve(undefined),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** On the reviewed public list: reachable without credentials. */
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export function accessGuard(authenticator: Authenticator, limits: RateLimits) {
  return async function guard(request: FastifyRequest): Promise<void> {
    if (request.routeOptions.config.public === true || request.is404) return;
    const principal = await authenticator.authenticate(request);
    if (principal === undefined) throw unauthenticated();
    request.principal = principal;
    await limits.consume('principal', `${principal.kind}:${principal.id}`);
    if (principal.tenantId !== undefined) await limits.consume('tenant', principal.tenantId);
    if (principal.partnerDomain !== undefined) await limits.consume('partner', principal.partnerDomain);
  };
}
