/**
 * Parley's own OAuth clients: the web client (authorization code + PKCE) and the `parley` CLI
 * (device authorization grant, RFC 8628). They are public clients registered in the first tenant
 * and marked multi-tenant, so users of every tenant sign in with them.
 */
import { AppError } from '../platform/errors/app-error.ts';
import type { AppService } from './app.service.ts';
import { CLI_APP_ID, WEB_CLIENT_APP_ID, type AppRegistration } from './apps.types.ts';

export { CLI_APP_ID, WEB_CLIENT_APP_ID } from './apps.types.ts';

/** Creates or updates both first-party registrations for the deployment's origin. */
export async function ensureFirstPartyApps(
  apps: AppService,
  tenantId: string,
  origin: string,
): Promise<readonly AppRegistration[]> {
  const base = origin.replace(/\/+$/, '');
  const wanted = [
    {
      appId: WEB_CLIENT_APP_ID,
      settings: {
        displayName: 'Parley web client',
        signInAudience: 'AzureADMultipleOrgs' as const,
        isPublicClient: true,
        // The callback, and the start page as the post-sign-out destination (OIDC RP-Initiated Logout §3).
        redirectUris: [`${base}/auth/callback`, `${base}/`],
      },
    },
    {
      appId: CLI_APP_ID,
      settings: {
        displayName: 'Parley CLI',
        signInAudience: 'AzureADMultipleOrgs' as const,
        isPublicClient: true,
        // RFC 8252 §7.3: loopback redirect for a native app; the device code flow needs none.
        redirectUris: ['http://localhost'],
      },
    },
  ];
  const result: AppRegistration[] = [];
  for (const { appId, settings } of wanted) {
    try {
      result.push(await apps.upsertFirstPartyApp(tenantId, appId, settings));
    } catch (error) {
      // Another node created it at the same moment: update the row it wrote.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      result.push(await apps.upsertFirstPartyApp(tenantId, appId, settings));
    }
  }
  return result;
}
