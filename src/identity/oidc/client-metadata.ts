/**
 * Turns an app registration into the client metadata oidc-provider works with (RFC 7591 names).
 * The authentication method is chosen per request from what the client sent, because a
 * registration may hold secrets and certificates at once while oidc-provider expects one method.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { AdapterPayload } from 'oidc-provider';
import type { OidcClientRecord } from './oidc-directory.ts';

/** Never compared: secrets are checked against their stored hashes (see provider-factory.ts). */
export const HASHED_SECRET_PLACEHOLDER = 'secrets-are-stored-hashed-and-checked-by-parley';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface RequestHints {
  /** The request carries `client_assertion` (private_key_jwt). */
  readonly clientAssertion: boolean;
}

const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/;

export function clientMetadata(record: OidcClientRecord, hints: RequestHints): AdapterPayload {
  const loopback = record.redirectUris.some((u) => LOOPBACK.test(u));
  const metadata: AdapterPayload = {
    client_id: record.appId,
    client_name: record.displayName,
    redirect_uris: [...record.redirectUris],
    post_logout_redirect_uris: [...record.redirectUris],
    response_types: record.redirectUris.length > 0 ? ['code'] : [],
    // Entra lets any registration use loopback http redirects; oidc-provider allows them for
    // native clients only (RFC 8252 §7.3).
    application_type: loopback ? 'native' : 'web',
    grant_types: record.isPublicClient
      ? ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT]
      : ['authorization_code', 'refresh_token', 'client_credentials', JWT_BEARER_GRANT],
    id_token_signed_response_alg: 'RS256',
  };
  if (record.redirectUris.length === 0)
    metadata.grant_types = metadata.grant_types?.filter((g) => g !== 'authorization_code');
  if (record.isPublicClient) {
    metadata.token_endpoint_auth_method = 'none';
  } else if (hints.clientAssertion) {
    metadata.token_endpoint_auth_method = 'private_key_jwt';
    metadata.jwks = { keys: record.certificates.flatMap((c) => certificateJwk(c.pem)) };
  } else {
    metadata.token_endpoint_auth_method = 'client_secret_basic';
    metadata.client_secret = HASHED_SECRET_PLACEHOLDER;
  }
  return metadata;
}

/**
 * The certificate's public key as a JWK, labelled with both thumbprints: MSAL sends `x5t#S256`
 * (PS256) or `x5t` (RS256) and no `kid` (research I10).
 */
function certificateJwk(pem: string): Record<string, unknown>[] {
  try {
    const cert = new X509Certificate(pem);
    const jwk = cert.publicKey.export({ format: 'jwk' });
    return [
      {
        ...jwk,
        'x5t#S256': createHash('sha256').update(cert.raw).digest('base64url'),
        x5t: createHash('sha1').update(cert.raw).digest('base64url'),
        x5c: [cert.raw.toString('base64')],
      },
    ];
  } catch {
    return [];
  }
}
