/**
 * OpenID Connect login attacks (security plan T17), session revocation (T18) and operator
 * injection into sign-in lookups (T42), against the real provider over HTTPS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../../harness/server.ts';
import { TestUserAgent } from '../../harness/user-agent.ts';
import { directoryOf } from './identity-fixture.ts';
import type { Tenant, User } from '../../../src/directory/directory.types.ts';
import type { AppRegistration } from '../../../src/directory/apps.types.ts';
import { SYSTEM_ACTOR } from '../../../src/directory/service-support.ts';

const REDIRECT = 'http://localhost:3000/redirect';

describe('OpenID Connect attacks', () => {
  let server: TestServer;
  let dir: ReturnType<typeof directoryOf>;
  let tenant: Tenant;
  let app: AppRegistration;
  let user: User;
  let password: string;

  before(async () => {
    server = await startTestServer();
    dir = directoryOf(server);
    tenant = await dir.tenant('Northwind');
    app = await dir.publicApp(tenant, [REDIRECT]);
    ({ user, password } = await dir.user(tenant, 'Pat'));
  });
  after(() => server.close());

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const authorizeUrl = (params: Record<string, string>) =>
    `/${tenant.id}/oauth2/v2.0/authorize?${new URLSearchParams({
      client_id: app.appId,
      response_type: 'code',
      scope: 'openid profile offline_access User.Read',
      redirect_uri: REDIRECT,
      state: 's1',
      ...params,
    }).toString()}`;

  /** Signs in through the sign-in API; returns the redirect to the app. */
  const signIn = async (agent: TestUserAgent, url: string) => {
    const login = await agent.follow(url);
    const uid = /^\/login\/([\w-]+)$/.exec(login.url.pathname)?.[1];
    assert.ok(uid !== undefined, `expected the sign-in page, got ${login.url.href}`);
    const done = await agent.request(`/login/${uid}/password`, {
      json: { username: user.userPrincipalName, password },
    });
    assert.equal(done.status, 200, done.text);
    const end = await agent.follow(done.json<{ redirectTo: string }>().redirectTo);
    assert.ok(end.offsite !== undefined, end.url.href);
    return end.offsite;
  };

  const token = (body: Record<string, string>) =>
    server.fetch(`/${tenant.id}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    });

  it('refuses an unregistered redirect URI without redirecting to it (open redirect)', async () => {
    const { challenge } = pkce();
    const res = await server.fetch(
      authorizeUrl({
        code_challenge: challenge,
        code_challenge_method: 'S256',
        redirect_uri: 'https://evil.test/cb',
      }),
    );
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined);
    assert.match(res.text, /redirect_uri/);
    const lookalike = await server.fetch(
      authorizeUrl({
        code_challenge: challenge,
        code_challenge_method: 'S256',
        redirect_uri: `${REDIRECT}/../evil`,
      }),
    );
    assert.equal(lookalike.status, 400);
  });

  it('requires PKCE with S256: plain and missing challenges are refused', async () => {
    const { verifier } = pkce();
    for (const params of [{}, { code_challenge: verifier, code_challenge_method: 'plain' }]) {
      const res = await server.fetch(authorizeUrl(params));
      const location = new URL(res.headers.location ?? 'http://none/', server.origin);
      assert.equal(
        location.origin + location.pathname,
        REDIRECT,
        `${JSON.stringify(params)} → ${res.status}`,
      );
      assert.equal(location.searchParams.get('error'), 'invalid_request');
    }
  });

  it('binds the code to its verifier and its client, and accepts it once', async () => {
    const { verifier, challenge } = pkce();
    const agent = new TestUserAgent(server.origin, server.caPem);
    const redirect = await signIn(
      agent,
      authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    assert.equal(redirect.searchParams.get('state'), 's1', 'state is returned unchanged');
    assert.equal(
      redirect.searchParams.get('iss'),
      `${server.origin}/${tenant.id}/v2.0`,
      'RFC 9207 iss (mix-up defence)',
    );
    const code = redirect.searchParams.get('code') ?? '';
    const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: app.appId };
    const wrongVerifier = await token({ ...base, code_verifier: pkce().verifier });
    assert.equal(wrongVerifier.status, 400);
    assert.equal(wrongVerifier.json<{ error: string }>().error, 'invalid_grant');
    const other = await dir.publicApp(tenant, [REDIRECT]);
    const otherClient = await token({ ...base, client_id: other.appId, code_verifier: verifier });
    assert.equal(otherClient.status, 400);
    // The failed attempts above consumed nothing; a fresh sign-in gives a usable code once.
    const second = pkce();
    const again = await signIn(
      agent,
      authorizeUrl({ code_challenge: second.challenge, code_challenge_method: 'S256' }),
    );
    const fresh = { ...base, code: again.searchParams.get('code') ?? '', code_verifier: second.verifier };
    const first = await token(fresh);
    assert.equal(first.status, 200, first.text);
    const replay = await token(fresh);
    assert.equal(replay.status, 400);
    assert.equal(replay.json<{ error: string }>().error, 'invalid_grant');
  });

  it('a code from another tenant is unknown here', async () => {
    const other = await dir.tenant('Elsewhere');
    const { verifier, challenge } = pkce();
    const agent = new TestUserAgent(server.origin, server.caPem);
    const redirect = await signIn(
      agent,
      authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const res = await server.fetch(`/${other.id}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        client_id: app.appId,
        code_verifier: verifier,
      }).toString(),
    });
    // The app is single-tenant and the code unknown there: refused either way, and no token.
    assert.ok(res.status === 400 || res.status === 401, String(res.status));
    assert.ok(!res.text.includes('access_token'));
  });

  it('disabling a user ends their tokens and refresh tokens within seconds (T18)', async () => {
    const victim = await dir.user(tenant, 'Robin');
    const { verifier, challenge } = pkce();
    const agent = new TestUserAgent(server.origin, server.caPem);
    const login = await agent.follow(
      authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const uid = /^\/login\/([\w-]+)$/.exec(login.url.pathname)?.[1] ?? '';
    const done = await agent.request(`/login/${uid}/password`, {
      json: { username: victim.user.userPrincipalName, password: victim.password },
    });
    const end = await agent.follow(done.json<{ redirectTo: string }>().redirectTo);
    const tokens = (
      await token({
        grant_type: 'authorization_code',
        code: end.offsite?.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        client_id: app.appId,
        code_verifier: verifier,
      })
    ).json<{ access_token: string; refresh_token: string }>();
    const me = () =>
      server.fetch('/v1.0/me', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal((await me()).status, 200);
    await dir.users.disableUser(tenant.id, victim.user.id, SYSTEM_ACTOR);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 5000) {
      status = (await me()).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 401, 'refused within 5 s');
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: app.appId,
    });
    assert.equal(refresh.status, 400);
  });

  it('sign-in lookups refuse operator objects, arrays and numbers with 400 (T42)', async () => {
    const { challenge } = pkce();
    const agent = new TestUserAgent(server.origin, server.caPem);
    const login = await agent.follow(
      authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const uid = /^\/login\/([\w-]+)$/.exec(login.url.pathname)?.[1] ?? '';
    for (const body of [
      { username: { $ne: null }, password: 'x' },
      { username: user.userPrincipalName, password: { $regex: '^a' } },
      { username: [user.userPrincipalName], password: 'x' },
      { username: 12345, password: 'x' },
      { username: user.userPrincipalName, password: 'x', admin: true },
    ]) {
      const res = await agent.request(`/login/${uid}/password`, { json: body });
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${res.text}`);
    }
    const mfa = await agent.request(`/login/${uid}/mfa`, { json: { code: { $gt: '' } } });
    assert.equal(mfa.status, 400);
    const wrong = await agent.request(`/login/${uid}/password`, {
      json: { username: user.userPrincipalName, password: 'wrong-password' },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json<{ error: { code: string } }>().error.code, 'invalid_credentials');
    const unknown = await agent.request(`/login/${uid}/password`, {
      json: { username: 'nobody@northwind.test', password: 'wrong-password' },
    });
    assert.equal(
      unknown.json<{ error: { code: string; message: string } }>().error.message,
      wrong.json<{ error: { message: string } }>().error.message,
    );
  });

  it('refuses cross-origin sign-in posts (CSRF)', async () => {
    const { challenge } = pkce();
    const agent = new TestUserAgent(server.origin, server.caPem);
    const login = await agent.follow(
      authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const uid = /^\/login\/([\w-]+)$/.exec(login.url.pathname)?.[1] ?? '';
    const res = await agent.request(`/login/${uid}/password`, {
      json: { username: user.userPrincipalName, password },
      headers: { origin: 'https://evil.test' },
    });
    assert.equal(res.status, 403);
  });
});
