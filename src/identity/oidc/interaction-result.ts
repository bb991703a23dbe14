/**
 * Ends an interaction: records the login (with its authentication methods, RFC 8176 `amr`) and
 * the grant of the scopes the application may have, then hands back the URL where the OAuth
 * request resumes. Scopes an application may have: every scope for Parley's own clients; for
 * other apps, what an admin consented to in the tenant plus the few user-consentable scopes. A
 * request for more ends in `consent_required` rather than a silently smaller grant.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { OidcDirectory } from './oidc-directory.ts';
import { OIDC_SCOPES, USER_CONSENTABLE, parseScopes, shortScope } from './resources.ts';

export interface CompleteSignIn {
  readonly tenantId: string;
  readonly userId: string;
  /** Methods used in this interaction; undefined when the session's login is reused (consent only). */
  readonly amr: readonly string[] | undefined;
  readonly directory: OidcDirectory;
}

export async function completeSignIn(
  provider: Provider,
  request: FastifyRequest,
  reply: FastifyReply,
  input: CompleteSignIn,
): Promise<string> {
  const details = await provider.interactionDetails(request.raw, reply.raw);
  const clientId = String(details.params.client_id);
  const requested = typeof details.params.scope === 'string' ? details.params.scope : '';
  const client = await input.directory.findClient(clientId);
  if (client === undefined)
    return denySignIn(provider, request, reply, 'invalid_client', 'Unknown application.');

  let parsed;
  try {
    parsed = parseScopes(requested);
  } catch {
    return denySignIn(provider, request, reply, 'invalid_scope', 'The requested scopes are not valid.');
  }
  const resourceTokens = requested.split(' ').filter((s) => s !== '' && !OIDC_SCOPES.has(s));
  if (parsed.resource !== undefined && !client.isFirstParty) {
    const consent = await input.directory.consent(input.tenantId, clientId, parsed.resource);
    const allowed = new Set([...(consent?.scopes ?? []), ...USER_CONSENTABLE, '.default']);
    const missing = resourceTokens.map(shortScope).filter((s) => !allowed.has(s));
    if (missing.length > 0)
      return denySignIn(
        provider,
        request,
        reply,
        'consent_required',
        'An administrator of your organization must consent to this application first.',
      );
  }

  const existing = details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
  const grant = existing ?? new provider.Grant({ accountId: input.userId, clientId });
  const oidcScopes = requested.split(' ').filter((s) => OIDC_SCOPES.has(s));
  if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
  const claims = [...requestedClaims(details.params.claims)];
  const missingClaims = details.prompt.details.missingOIDCClaims;
  if (Array.isArray(missingClaims)) claims.push(...(missingClaims as string[]));
  // MSAL asks for claims such as login_hint through the `claims` parameter (OIDC Core §5.5).
  if (claims.length > 0) grant.addOIDCClaims([...new Set(claims)]);
  if (parsed.resource !== undefined && resourceTokens.length > 0)
    grant.addResourceScope(parsed.resource, resourceTokens.join(' '));
  const grantId = await grant.save();

  const result = {
    ...(input.amr !== undefined
      ? {
          login: {
            accountId: input.userId,
            amr: [...input.amr],
            acr: input.amr.includes('mfa') ? 'urn:parley:acr:mfa' : 'urn:parley:acr:pwd',
            remember: true,
          },
          // The sign-in page is also where an account is chosen: it answers these prompts.
          select_account: {},
          create: {},
        }
      : {}),
    consent: { grantId },
  };
  return provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
}

export function denySignIn(
  provider: Provider,
  request: FastifyRequest,
  reply: FastifyReply,
  error: string,
  description: string,
): Promise<string> {
  return provider.interactionResult(
    request.raw,
    reply.raw,
    { error, error_description: description },
    { mergeWithLastSubmission: false },
  );
}

/** Claim names requested through the `claims` parameter, for the ID token and userinfo. */
function requestedClaims(parameter: unknown): string[] {
  if (typeof parameter !== 'string' || parameter.length > 4096) return [];
  try {
    const parsed = JSON.parse(parameter) as Record<string, unknown>;
    return ['id_token', 'userinfo'].flatMap((part) => {
      const value = parsed[part];
      return typeof value === 'object' && value !== null ? Object.keys(value) : [];
    });
  } catch {
    return [];
  }
}
