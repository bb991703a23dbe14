/**
 * Stock Microsoft MSAL for Node against Parley, with configuration only (the README's identity
 * section): client credentials with a secret and with a certificate, authorization code + PKCE
 * driven headlessly through the real sign-in API, device code, silent refresh and on-behalf-of.
 * Each token is then used on Parley's API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { decodeJwt } from 'jose';
import { Client, type PageCollection } from '@microsoft/microsoft-graph-client';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  PublicClientApplication,
  type Configuration,
} from '@azure/msal-node';
import { msalNetwork } from '../../harness/msal-network.ts';

type DeviceCodeResponse = Parameters<
  NonNullable<Parameters<PublicClientApplication['acquireTokenByDeviceCode']>[0]['deviceCodeCallback']>
>[0];
import { startTestServer, type TestServer } from '../../harness/server.ts';
import { TestUserAgent, readForm } from '../../harness/user-agent.ts';
import { directoryOf, rsaCertificate } from './identity-fixture.ts';
import type { Tenant } from '../../../src/directory/directory.types.ts';
import { SYSTEM_ACTOR } from '../../../src/directory/service-support.ts';

function interactionOf(url: URL): string | undefined {
  return /^\/login\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1];
}

describe('MSAL for Node against Parley', () => {
  let server: TestServer;
  let dir: ReturnType<typeof directoryOf>;
  let tenant: Tenant;
  let authority: string;
  let msalSystem: NonNullable<Configuration['system']>;
  let knownAuthorities: string[];

  before(async () => {
    server = await startTestServer();
    dir = directoryOf(server);
    tenant = await dir.tenant('Contoso');
    authority = `${server.origin}/${tenant.id}`;
    knownAuthorities = [new URL(server.origin).host];
    // Trust only the server's CA (the equivalent of NODE_EXTRA_CA_CERTS for a deployment).
    msalSystem = { networkClient: msalNetwork(server.caPem) };
    // The Graph client uses the global fetch: trust the server's CA for this process.
    tls.setDefaultCACertificates([server.caPem]);
  });
  after(async () => {
    const errors = server.logs().filter((l) => typeof l.level === 'number' && l.level >= 50);
    if (errors.length > 0) console.error(JSON.stringify(errors, null, 1).slice(0, 3000));
    await server.close();
  });

  /** Microsoft's Graph client, configured for Parley as the identity guide shows. */
  const graph = (token: string) =>
    Client.init({
      baseUrl: `${server.origin}/`,
      customHosts: new Set([new URL(server.origin).hostname]),
      authProvider: (done) => {
        done(null, token);
      },
    });

  const api = (token: string, path = '/v1.0/me') =>
    server.fetch(path, { headers: { authorization: `Bearer ${token}` } });

  /** Signs the user in on the page the provider redirected to; returns where the flow continues. */
  const signIn = async (agent: TestUserAgent, startUrl: string, upn: string, password: string) => {
    const login = await agent.follow(startUrl);
    const uid = interactionOf(login.url);
    assert.ok(
      uid !== undefined,
      `expected the sign-in page, got ${login.url.href} (${String(login.response?.status)})`,
    );
    const state = await agent.request(`/login/${uid}/state`);
    assert.equal(state.status, 200, state.text);
    const done = await agent.request(`/login/${uid}/password`, { json: { username: upn, password } });
    assert.equal(done.status, 200, done.text);
    const body = done.json<{ next: string; redirectTo: string }>();
    assert.equal(body.next, 'done');
    let next = await agent.follow(body.redirectTo);
    // A further interaction asks only for consent, as the web page does on its own.
    const consentUid = interactionOf(next.url);
    if (consentUid !== undefined) {
      const consent = await agent.request(`/login/${consentUid}/consent`, { json: {} });
      assert.equal(consent.status, 200, consent.text);
      next = await agent.follow(consent.json<{ redirectTo: string }>().redirectTo);
    }
    return next;
  };

  it('client credentials with a secret: app token with the consented roles', async () => {
    const { app, secret } = await dir.confidentialApp(tenant, { roles: ['User.Read.All'] });
    const cca = new ConfidentialClientApplication({
      auth: { clientId: app.appId, authority, clientSecret: secret, knownAuthorities },
      system: msalSystem,
    });
    const result = await cca.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    assert.ok(result !== null);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.tid, tenant.id);
    assert.equal(claims.iss, `${server.origin}/${tenant.id}/v2.0`);
    assert.equal(claims.idtyp, 'app');
    assert.deepEqual(claims.roles, ['User.Read.All']);
    assert.equal(claims.scp, undefined);
    const users = await api(result.accessToken, '/v1.0/users');
    assert.equal(users.status, 200, users.text);
    await dir.user(tenant, 'Dana');
    await dir.user(tenant, 'Eve');
    const page = (await graph(result.accessToken).api('/users').top(1).get()) as PageCollection;
    assert.equal(page.value.length, 1);
    assert.match(String(page['@odata.nextLink']), new RegExp(`^${server.origin}/v1.0/users`));

    const wrong = new ConfidentialClientApplication({
      auth: { clientId: app.appId, authority, clientSecret: `${secret}x`, knownAuthorities },
      system: msalSystem,
    });
    await assert.rejects(
      wrong.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
      /invalid_client/,
    );
  });

  it('client credentials with a certificate, twice within the assertion lifetime', async () => {
    const { app } = await dir.confidentialApp(tenant, { roles: ['User.Read.All'] });
    const cert = await rsaCertificate();
    await dir.credentials.addCertificate(tenant.id, app.appId, { pem: cert.certPem }, SYSTEM_ACTOR);
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: app.appId,
        authority,
        knownAuthorities,
        clientCertificate: {
          thumbprintSha256: cert.thumbprintSha256,
          privateKey: cert.keyPem,
          x5c: cert.certPem,
        },
      },
      system: msalSystem,
    });
    const scopes = ['https://graph.microsoft.com/.default'];
    const first = await cca.acquireTokenByClientCredential({ scopes });
    // MSAL re-sends its cached client assertion (same jti) for ten minutes (research I10).
    const second = await cca.acquireTokenByClientCredential({ scopes, skipCache: true });
    assert.ok(first !== null && second !== null);
    assert.notEqual(first.accessToken, second.accessToken);
    assert.deepEqual(decodeJwt(second.accessToken).roles, ['User.Read.All']);
  });

  it('authorization code + PKCE through the sign-in page, then silent refresh', async () => {
    const { user, password } = await dir.user(tenant, 'Adele');
    const app = await dir.publicApp(tenant);
    const pca = new PublicClientApplication({
      auth: { clientId: app.appId, authority, knownAuthorities },
      system: msalSystem,
    });
    const { verifier, challenge } = await new (
      await import('@azure/msal-node')
    ).CryptoProvider().generatePkceCodes();
    const scopes = ['User.Read', 'User.ReadBasic.All'];
    const url = await pca.getAuthCodeUrl({
      scopes,
      redirectUri: 'http://localhost:3000/redirect',
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state: 'xyz',
      prompt: 'select_account',
    });
    const agent = new TestUserAgent(server.origin, server.caPem);
    const landed = await signIn(agent, url, user.userPrincipalName, password);
    assert.ok(
      landed.offsite !== undefined,
      `the flow ends at the app redirect URI, not ${landed.url.href}: ${landed.response?.text.slice(0, 400) ?? ''}`,
    );
    assert.equal(landed.offsite.searchParams.get('state'), 'xyz');
    const code = landed.offsite.searchParams.get('code');
    assert.ok(code !== null, landed.offsite.href);
    const result = await pca.acquireTokenByCode({
      code,
      scopes,
      redirectUri: 'http://localhost:3000/redirect',
      codeVerifier: verifier,
    });
    const account = result.account;
    assert.ok(account !== null);
    assert.equal(account.homeAccountId, `${user.id}.${tenant.id}`);
    assert.equal(account.username, user.userPrincipalName);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.scp, 'User.Read User.ReadBasic.All');
    assert.equal(claims.oid, user.id);
    const me = (await graph(result.accessToken).api('/me').get()) as {
      id: string;
      userPrincipalName: string;
    };
    assert.equal(me.id, user.id);
    assert.equal(me.userPrincipalName, user.userPrincipalName);

    // Silent refresh: MSAL re-sends offline_access and the OIDC scopes (research I9).
    const refreshed = await pca.acquireTokenSilent({ account, scopes, forceRefresh: true });
    assert.notEqual(refreshed.accessToken, result.accessToken);
    assert.equal((await api(refreshed.accessToken)).status, 200);

    // Refresh tokens rotate; presenting a spent one revokes the whole family (security plan T18).
    const cache = JSON.parse(pca.getTokenCache().serialize()) as {
      RefreshToken: Record<string, { secret: string }>;
    };
    const current = Object.values(cache.RefreshToken)[0]?.secret;
    assert.ok(current !== undefined);
    const tokenUrl = `/${tenant.id}/oauth2/v2.0/token`;
    const refresh = (token: string) =>
      server.fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: app.appId,
        }).toString(),
      });
    const rotated = await refresh(current);
    assert.equal(rotated.status, 200, rotated.text);
    const next = rotated.json<{ refresh_token: string; access_token: string }>();
    assert.notEqual(next.refresh_token, current);
    const reuse = await refresh(current);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.json<{ error: string }>().error, 'invalid_grant');
    const family = await refresh(next.refresh_token);
    assert.equal(family.status, 400, 'the newest refresh token of the family is revoked too');
    // Access tokens of the revoked sign-in stop working within the cache window.
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal((await api(next.access_token)).status, 401);

    // The code is single use (security plan T17).
    await assert.rejects(
      pca.acquireTokenByCode({
        code,
        scopes,
        redirectUri: 'http://localhost:3000/redirect',
        codeVerifier: verifier,
      }),
      /invalid_grant/,
    );
  });

  it('device code: the user confirms on the device page and signs in', async () => {
    const { user, password } = await dir.user(tenant, 'Megan');
    const app = await dir.publicApp(tenant, []);
    const pca = new PublicClientApplication({
      auth: { clientId: app.appId, authority, knownAuthorities },
      system: msalSystem,
    });
    let prompt: DeviceCodeResponse | undefined;
    const agent = new TestUserAgent(server.origin, server.caPem);
    const browser = (async () => {
      while (prompt === undefined) await new Promise((r) => setTimeout(r, 50));
      assert.ok(prompt.message.includes(prompt.userCode));
      const page = await agent.follow(prompt.verificationUri);
      assert.ok(page.response !== undefined);
      // RFC 8628 §3.3: the user enters the code, checks the device, then signs in.
      const input = readForm(page.response.text, 'op.deviceInputForm');
      const entered = await agent.request(new URL(input.action, page.url).href, {
        form: { ...input.fields, user_code: prompt.userCode },
      });
      assert.equal(entered.status, 200, entered.text);
      assert.match(entered.text, /Confirm the device/);
      const confirm = readForm(entered.text, 'op.deviceConfirmForm');
      const confirmed = await agent.request(new URL(confirm.action, page.url).href, { form: confirm.fields });
      const location = confirmed.headers.location;
      assert.ok(location !== undefined, confirmed.text);
      const signedIn = await signIn(
        agent,
        new URL(location, page.url).href,
        user.userPrincipalName,
        password,
      );
      assert.match(signedIn.response?.text ?? '', /You are signed in/);
    })();
    const result = await pca.acquireTokenByDeviceCode({
      scopes: ['User.Read'],
      deviceCodeCallback: (response) => {
        prompt = response;
      },
    });
    await browser;
    assert.ok(result !== null);
    assert.equal(decodeJwt(result.accessToken).oid, user.id);
    assert.equal((await api(result.accessToken)).status, 200);
  });

  it('on-behalf-of: a middle-tier API trades the user token for a Graph token', async () => {
    const { user, password } = await dir.user(tenant, 'Lee');
    const { app: middle, secret } = await dir.confidentialApp(tenant, { scopes: ['User.Read'] }, []);
    await dir.apps.updateApp(
      tenant.id,
      middle.appId,
      {
        identifierUris: [`api://${middle.appId}`],
        apiScopes: [{ value: 'access_as_user', description: 'Use the API' }],
      },
      SYSTEM_ACTOR,
    );
    const client = await dir.publicApp(tenant);
    await dir.apps.grantAdminConsent(
      tenant.id,
      client.appId,
      { resource: `api://${middle.appId}`, scopes: ['access_as_user'], roles: [] },
      SYSTEM_ACTOR,
    );
    const pca = new PublicClientApplication({
      auth: { clientId: client.appId, authority, knownAuthorities },
      system: msalSystem,
    });
    const crypto = new CryptoProvider();
    const pkce = await crypto.generatePkceCodes();
    const scopes = [`api://${middle.appId}/access_as_user`];
    const url = await pca.getAuthCodeUrl({
      scopes,
      redirectUri: 'http://localhost:3000/redirect',
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
    });
    const landed = await signIn(
      new TestUserAgent(server.origin, server.caPem),
      url,
      user.userPrincipalName,
      password,
    );
    const code = landed.offsite?.searchParams.get('code');
    assert.ok(typeof code === 'string');
    const userToken = await pca.acquireTokenByCode({
      code,
      scopes,
      redirectUri: 'http://localhost:3000/redirect',
      codeVerifier: pkce.verifier,
    });
    assert.equal(decodeJwt(userToken.accessToken).aud, middle.appId);

    const cca = new ConfidentialClientApplication({
      auth: { clientId: middle.appId, authority, clientSecret: secret, knownAuthorities },
      system: msalSystem,
    });
    const obo = await cca.acquireTokenOnBehalfOf({
      oboAssertion: userToken.accessToken,
      scopes: ['https://graph.microsoft.com/User.Read'],
    });
    assert.ok(obo !== null);
    const claims = decodeJwt(obo.accessToken);
    assert.equal(claims.oid, user.id);
    assert.equal(claims.azp, middle.appId);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal((await api(obo.accessToken)).status, 200);
  });
});
