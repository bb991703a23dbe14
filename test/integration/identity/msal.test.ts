/**
 * Stock Microsoft MSAL for Node against Parley, with configuration only (the README's identity
 * section): client credentials with a secret and with a certificate, authorization code + PKCE
 * driven headlessly through the real sign-in API, device code, silent refresh and on-behalf-of.
 * Each token is then used on Parley's API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
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
  });
  after(() => server.close());

  const api = (token: string, path = '/v1.0/me') =>
    server.fetch(path, { headers: { authorization: `Bearer ${token}` } });

  /** Signs the user in on the page the provider redirected to; returns where the flow continues. */
  const signIn = async (agent: TestUserAgent, startUrl: string, upn: string, password: string) => {
    const login = await agent.follow(startUrl);
    assert.ok(login.response !== undefined);
    const match = /^\/login\/([A-Za-z0-9_-]+)$/.exec(login.url.pathname);
    assert.ok(
      match?.[1] !== undefined,
      `expected the sign-in page, got ${login.url.href} (${login.response.status})`,
    );
    const uid = match[1];
    const state = await agent.request(`/login/${uid}/state`);
    assert.equal(state.status, 200, state.text);
    const done = await agent.request(`/login/${uid}/password`, { json: { username: upn, password } });
    assert.equal(done.status, 200, done.text);
    const body = done.json<{ next: string; redirectTo: string }>();
    assert.equal(body.next, 'done');
    return agent.follow(body.redirectTo);
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
    assert.ok(landed.offsite !== undefined, 'the flow ends at the app redirect URI');
    assert.equal(landed.offsite.searchParams.get('state'), 'xyz');
    const code = landed.offsite.searchParams.get('code');
    assert.ok(code !== null);
    const result = await pca.acquireTokenByCode({
      code,
      scopes,
      redirectUri: 'http://localhost:3000/redirect',
      codeVerifier: verifier,
    });
    assert.equal(result.account?.homeAccountId, `${user.id}.${tenant.id}`);
    assert.equal(result.account?.username, user.userPrincipalName);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.scp, 'User.Read User.ReadBasic.All');
    assert.equal(claims.oid, user.id);
    const me = await api(result.accessToken);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json<{ id: string }>().id, user.id);

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
    // Silent refresh: MSAL re-sends offline_access and the OIDC scopes (research I9).
    assert.ok(result.account !== null);
    const refreshed = await pca.acquireTokenSilent({ account: result.account, scopes, forceRefresh: true });
    assert.notEqual(refreshed.accessToken, result.accessToken);
    assert.equal((await api(refreshed.accessToken)).status, 200);
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
      const input = readForm(page.response.text, 'op.deviceInputForm');
      const submitted = await agent.request(new URL(input.action, page.url).href, {
        form: { ...input.fields, user_code: prompt.userCode },
      });
      assert.ok(submitted.headers.location !== undefined, submitted.text);
      const signedIn = await signIn(
        agent,
        new URL(submitted.headers.location, page.url).href,
        user.userPrincipalName,
        password,
      );
      assert.ok(signedIn.response !== undefined);
      if (signedIn.response.text.includes('op.deviceConfirmForm')) {
        const confirm = readForm(signedIn.response.text, 'op.deviceConfirmForm');
        const done = await agent.request(new URL(confirm.action, signedIn.url).href, {
          form: confirm.fields,
        });
        const final =
          done.headers.location === undefined
            ? done
            : (await agent.follow(new URL(done.headers.location, signedIn.url).href)).response;
        assert.match(final?.text ?? '', /signed in/i);
      } else {
        assert.match(signedIn.response.text, /signed in/i);
      }
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
