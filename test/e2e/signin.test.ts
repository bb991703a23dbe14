/**
 * Sign-in in a real browser, end to end: Debian's Chromium, the full server over HTTPS with its
 * local CA trusted through NSS, under the strict Content-Security-Policy. The web client starts
 * an authorization code + PKCE request at `/organizations`, the account page finds the tenant
 * from the work address, the sign-in page takes the password and enrols or checks a TOTP code
 * (generated here from the secret the page shows), and the callback lands on the signed-in home
 * page. Sign-out goes through the provider's end-session endpoint. Screenshots of every step are
 * written to test-results/signin-*.png.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/directory/service-support.ts';
import { createTenantWithAdmin, createUser, directoryFor } from '../factories/directory.ts';
import { startTestServer, type TestServer } from '../harness/server.ts';
import {
  COLLECT_CSP_VIOLATIONS,
  chromiumPrerequisiteMissing,
  findCertutil,
  launchChromiumTrusting,
  type TrustedBrowser,
} from './trusted-chromium.ts';

const RESULTS = join(import.meta.dirname, '..', '..', 'test-results');
const TOTP_PERIOD_MS = 30_000;

const missing = chromiumPrerequisiteMissing('sign-in');

/** A page that records console errors and CSP violations across navigations. */
async function openPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // Failed loads are collected with their URL below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    // The provider's own pages name no icon, so the browser asks for the default one.
    if (response.status() >= 400 && url.pathname !== '/favicon.ico')
      problems.push(`${response.status()} ${response.request().method()} ${url.pathname}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript({ content: COLLECT_CSP_VIOLATIONS });
  return { page, problems };
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__cspViolations ?? []');
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `signin-${name}.png`), fullPage: true });
}

function totpFor(secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_MS / 1000,
  });
}

/** A code for a time step after `usedStep` (the server accepts each step once), waiting if needed. */
async function freshCode(totp: OTPAuth.TOTP, usedStep: number): Promise<{ code: string; step: number }> {
  for (;;) {
    const step = Math.floor(Date.now() / TOTP_PERIOD_MS);
    if (step > usedStep) return { code: totp.generate(), step };
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * TOTP_PERIOD_MS - Date.now() + 50));
  }
}

/** From the signed-out home page through the account page to the provider's sign-in page. */
async function reachSignInPage(page: Page, origin: string, email: string): Promise<string> {
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/login/account');
  const next = new URL(page.url()).searchParams.get('next') ?? '';
  assert.match(next, /^\/oauth2\/v2\.0\/authorize\?/, 'the account page carries the authorize request');
  await page.getByLabel('Work e-mail').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForURL((url) => /^\/login\/(?!account$)[A-Za-z0-9_-]+$/.test(url.pathname));
  await page.getByLabel('Password').waitFor();
  return new URL(page.url()).pathname.split('/')[2] ?? '';
}

describe('sign-in in Chromium', { skip: missing }, () => {
  let server: TestServer | undefined;
  let trusted: TrustedBrowser | undefined;
  let domain = '';
  let organization = '';
  let adele = { upn: '', password: '', name: 'Adele Vance' };
  let megan = { upn: '', password: '' };

  before(async () => {
    server = await startTestServer();
    const database = server.platform.database;
    const directory = directoryFor(database);
    const created = await createTenantWithAdmin(database, { displayName: 'Contoso' });
    domain = created.domain;
    organization = created.tenant.displayName;
    // The web client's registration (first party, every tenant may use it) for this origin.
    await directory.ensureFirstPartyApps(server.origin);
    // The organisation requires a second factor: a user without one enrols during sign-in.
    await directory.service.tenants.updateSignInPolicy(
      created.tenant.id,
      { requireMfa: true, allowedNetworks: [] },
      SYSTEM_ACTOR,
    );
    const a = await createUser(database, created.tenant.id, {
      userPrincipalName: `adele@${domain}`,
      displayName: adele.name,
      jobTitle: 'Product manager',
    });
    adele = { upn: a.user.userPrincipalName, password: a.password ?? '', name: adele.name };
    const m = await createUser(database, created.tenant.id, {
      userPrincipalName: `megan@${domain}`,
      displayName: 'Megan Bowen',
    });
    megan = { upn: m.user.userPrincipalName, password: m.password ?? '' };
    trusted = await launchChromiumTrusting(server.caPem, findCertutil() ?? 'certutil');
  });

  after(async () => {
    await trusted?.close();
    await server?.close();
  });

  it('a wrong password and an unknown user get the same generic error', async () => {
    assert.ok(server && trusted);
    const context = await trusted.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page } = await openPage(context);
      await reachSignInPage(page, server.origin, megan.upn);
      assert.equal(await page.getByLabel('Username').inputValue(), megan.upn, 'prefilled from login_hint');

      await page.getByLabel('Password').fill(`${megan.password}-wrong`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByTestId('signin-error');
      await alert.waitFor();
      const wrongPassword = (await alert.textContent())?.trim();
      assert.equal(wrongPassword, 'The username or password is incorrect.');
      assert.equal(await alert.getAttribute('role'), 'alert');
      assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password field is cleared');
      await shot(page, '00-bad-password');

      // Same tenant, no such account: the page must not tell the difference.
      await page.getByLabel('Username').fill(`nobody@${domain}`);
      await page.getByLabel('Password').fill('Not-the-password-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign in', disabled: false }).waitFor();
      await alert.waitFor();
      assert.equal((await alert.textContent())?.trim(), wrongPassword);
    } finally {
      await context.close();
    }
  });

  it('signs in with password and TOTP enrolment, resumes after a reload, signs out, signs in with a code', async () => {
    assert.ok(server && trusted);
    const origin = server.origin;
    const context = await trusted.browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    try {
      const { page, problems } = await openPage(context);

      await page.goto(`${origin}/`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await shot(page, '01-signed-out');

      // / → Sign in → /organizations/…/authorize → /login/account
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/login/account');
      const authorize = new URLSearchParams(new URL(page.url()).searchParams.get('next')?.split('?')[1]);
      assert.equal(authorize.get('client_id'), '5a1e6c0d-1b2f-4c3d-9e8f-7a6b5c4d3e2f');
      assert.equal(authorize.get('code_challenge_method'), 'S256');
      assert.equal(authorize.get('redirect_uri'), `${origin}/auth/callback`);
      assert.ok((authorize.get('state') ?? '').length >= 32, 'state is sent');
      assert.ok((authorize.get('nonce') ?? '').length >= 32, 'nonce is sent');
      assert.deepEqual(authorize.get('scope')?.split(' ').sort(), [
        'User.Read',
        'User.ReadBasic.All',
        'offline_access',
        'openid',
        'profile',
      ]);
      await page.getByLabel('Work e-mail').fill('not-an-address');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('alert').waitFor();
      await page.getByLabel('Work e-mail').fill(adele.upn.toUpperCase());
      await shot(page, '02-account');
      await page.getByRole('button', { name: 'Next' }).click();

      // → /{domain}/oauth2/v2.0/authorize → /login/{uid}
      await page.waitForURL((url) => /^\/login\/(?!account$)[A-Za-z0-9_-]+$/.test(url.pathname));
      const enrolmentUid = new URL(page.url()).pathname.split('/')[2] ?? '';
      await page.getByTestId('signin-context').getByText(organization).waitFor();
      assert.equal((await page.getByLabel('Username').inputValue()).toLowerCase(), adele.upn);
      assert.equal(await page.getByLabel('Username').getAttribute('autocomplete'), 'username');
      assert.equal(await page.getByLabel('Password').getAttribute('autocomplete'), 'current-password');
      await page.getByLabel('Password').fill(adele.password);
      await shot(page, '03-password');
      await page.getByRole('button', { name: 'Sign in' }).click();

      // The tenant requires MFA and Adele has none: enrolment with QR code and key.
      await page.getByRole('heading', { name: 'Set up your authenticator' }).waitFor();
      const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
      await qr.waitFor();
      assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
      const drawn = await page.evaluate<boolean>(
        "(() => { const img = document.querySelector('img.totp-setup__qr'); return img !== null && img.complete && img.naturalWidth > 0; })()",
      );
      assert.ok(drawn, 'the QR code image loaded');
      const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
      assert.match(secret, /^[A-Z2-7]{16,}$/, 'a base32 key is shown');
      const totp = totpFor(secret);
      await shot(page, '04-enrolment');
      const codeInput = page.getByLabel('Code from the app');
      assert.equal(await codeInput.getAttribute('autocomplete'), 'one-time-code');
      await codeInput.fill('000000' === totp.generate() ? '111111' : '000000');
      await page.getByRole('button', { name: 'Verify and continue' }).click();
      await page.getByTestId('signin-error').getByText('The code is not correct.').waitFor();
      const first = await freshCode(totp, -1);
      await codeInput.fill(first.code);
      await page.getByRole('button', { name: 'Verify and continue' }).click();

      // Recovery codes, shown once.
      await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
      const codes = await page.getByTestId('recovery-codes').locator('code').allTextContents();
      assert.ok(codes.length >= 8, `recovery codes are listed (${codes.length})`);
      for (const code of codes) assert.match(code, /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
      await shot(page, '05-recovery-codes');
      await page.getByRole('button', { name: 'I saved them' }).click();

      // → resume authorize → /auth/callback → /
      await page.waitForURL((url) => url.pathname === '/');
      await page.getByTestId('welcome').getByText(`Welcome, ${adele.name}`).waitFor();
      await page.getByTestId('profile-name').getByText(adele.name).waitFor();
      assert.equal((await page.getByTestId('signed-in-user').textContent())?.trim(), adele.name);
      assert.equal(new URL(page.url()).search, '', 'the code left the address bar');
      await page.getByRole('button', { name: 'Check now', disabled: false }).waitFor();
      await shot(page, '06-signed-in');

      // A reload resumes the session from the tab's (rotated) refresh token.
      const storedBefore = await page.evaluate<string | null>(
        "sessionStorage.getItem('parley.auth.refresh')",
      );
      assert.ok(storedBefore !== null, 'the refresh token is kept for the tab');
      await page.reload();
      await page.getByTestId('welcome').getByText(`Welcome, ${adele.name}`).waitFor();
      const storedAfter = await page.evaluate<string | null>("sessionStorage.getItem('parley.auth.refresh')");
      assert.ok(storedAfter !== null && storedAfter !== storedBefore, 'the refresh token rotated');

      // The Security page shows the authenticator.
      await page.getByRole('link', { name: 'Security', exact: true }).click();
      await page.getByTestId('totp-state').getByText('Set up').waitFor();
      await shot(page, '07-security');

      // Sign out: the provider's end-session endpoint, perhaps with its confirmation page.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.pathname === '/' || url.pathname.includes('/oauth2/v2.0/logout'));
      if (new URL(page.url()).pathname !== '/') {
        await shot(page, '08-sign-out-confirm');
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL((url) => url.pathname === '/');
      }
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(await page.getByTestId('signed-in-user').count(), 0, 'no user in the header');
      assert.equal(await page.evaluate<string | null>("sessionStorage.getItem('parley.auth.refresh')"), null);
      await shot(page, '09-signed-out');

      // Signing in again needs the password again (the provider's session ended) and a code.
      await reachSignInPage(page, origin, adele.upn);
      await page.getByLabel('Password').fill(adele.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
      const otp = page.getByLabel('Authenticator code');
      assert.equal(await otp.getAttribute('autocomplete'), 'one-time-code');
      await shot(page, '10-mfa');
      const second = await freshCode(totp, first.step);
      await otp.fill(second.code);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      await page.getByTestId('welcome').getByText(`Welcome, ${adele.name}`).waitFor();

      assert.deepEqual(await cspViolations(page), [], 'no Content-Security-Policy violations');
      // The deliberately wrong enrolment code is the one refused request.
      assert.deepEqual(
        problems,
        [`400 POST /login/${enrolmentUid}/mfa/enrolment/confirm`],
        'no console errors and no other failed requests',
      );
    } finally {
      await context.close();
    }
  });

  it('fits a phone in the dark scheme and explains an expired sign-in', async () => {
    assert.ok(server && trusted);
    const context = await trusted.browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      reducedMotion: 'reduce',
    });
    try {
      const { page } = await openPage(context);
      await reachSignInPage(page, server.origin, megan.upn);
      const overflow = await page.evaluate<boolean>(
        'document.documentElement.scrollWidth > window.innerWidth',
      );
      assert.equal(overflow, false, 'no horizontal scrolling at phone width');
      await shot(page, '11-phone-dark');

      await page.goto(`${server.origin}/login/NoSuchInteraction0000`);
      await page.getByRole('alert').getByText('This sign-in has expired or is no longer valid.').waitFor();
      await page.getByRole('button', { name: 'Start again' }).waitFor();
      await shot(page, '12-expired');
    } finally {
      await context.close();
    }
  });
});
