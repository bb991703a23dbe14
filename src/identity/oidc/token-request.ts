/**
 * Token-request tolerance for MSAL (research I3, I9), applied to the form body before
 * oidc-provider sees it:
 * - `grant_type=device_code` (MSAL's short form) becomes RFC 8628's URN;
 * - on `refresh_token`, `offline_access` is dropped from `scope`: MSAL always re-sends it, and
 *   oidc-provider refuses it because refresh tokens never hold it as a resource scope.
 */
import { DEVICE_CODE_GRANT } from './client-metadata.ts';

export function rewriteTokenRequest(body: Buffer): Buffer {
  const params = new URLSearchParams(body.toString('utf8'));
  let changed = false;
  if (params.get('grant_type') === 'device_code') {
    params.set('grant_type', DEVICE_CODE_GRANT);
    changed = true;
  }
  const scope = params.get('scope');
  if (params.get('grant_type') === 'refresh_token' && scope !== null) {
    const kept = scope.split(' ').filter((s) => s !== '' && s !== 'offline_access');
    params.set('scope', kept.join(' '));
    if (kept.length === 0) params.delete('scope');
    changed = true;
  }
  return changed ? Buffer.from(params.toString(), 'utf8') : body;
}

/**
 * OpenID Connect Core §11 lets a provider drop `offline_access` unless `prompt` includes
 * `consent`, and oidc-provider does. MSAL apps send `prompt=select_account` or `login` and expect a
 * refresh token, as Entra issues one: such a prompt gets `consent` added, which the sign-in page
 * answers in the same interaction.
 */
export function rewriteAuthorizeQuery(query: string): string {
  if (query === '') return query;
  const params = new URLSearchParams(query.slice(1));
  const prompt = params.get('prompt');
  const scope = params.get('scope') ?? '';
  if (prompt === null || !scope.split(' ').includes('offline_access')) return query;
  const prompts = prompt.split(' ').filter((p) => p !== '');
  if (prompts.includes('none') || prompts.includes('consent')) return query;
  params.set('prompt', [...prompts, 'consent'].join(' '));
  return `?${params.toString()}`;
}
