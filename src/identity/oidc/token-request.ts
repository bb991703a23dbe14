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
