/**
 * Small changes to responses that MSAL relies on (research I4, I8):
 * - token responses carry `client_info` (base64url of `{"uid": oid, "utid": tid}`) whenever a
 *   user is involved, so MSAL's home account id has Entra's `oid.tid` form, and `ext_expires_in`;
 * - device authorization responses always carry `interval` (MSAL multiplies it by 1000; without
 *   it MSAL polls in a tight loop) and Entra's human-readable `message`.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

const DEVICE_POLL_INTERVAL_SEC = 5;

export function installResponseShims(provider: Provider, tenantId: string): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (oidc === undefined || ctx.status !== 200 || typeof ctx.body !== 'object' || ctx.body === null) return;
    const body = ctx.body as Record<string, unknown>;
    if (oidc.route === 'token') {
      if (typeof body.expires_in === 'number') body.ext_expires_in = body.expires_in;
      const accountId = userOf(oidc);
      if (accountId !== undefined)
        body.client_info = Buffer.from(JSON.stringify({ uid: accountId, utid: tenantId })).toString(
          'base64url',
        );
    } else if (oidc.route === 'device_authorization') {
      body.interval ??= DEVICE_POLL_INTERVAL_SEC;
      if (typeof body.user_code === 'string' && typeof body.verification_uri === 'string')
        body.message = `To sign in, use a web browser to open the page ${body.verification_uri} and enter the code ${body.user_code} to authenticate.`;
    }
  });
}

function userOf(oidc: KoaContextWithOIDC['oidc']): string | undefined {
  const entities = oidc.entities as Record<string, { accountId?: string } | undefined>;
  for (const name of ['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'AccessToken']) {
    const accountId = entities[name]?.accountId;
    if (typeof accountId === 'string') return accountId;
  }
  return undefined;
}
