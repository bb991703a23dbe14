/**
 * The web shell in a real browser: Debian's Chromium loads it over HTTPS from a full server, with
 * the generated local CA trusted through NSS (no certificate errors are ignored), under the
 * server's strict Content-Security-Policy.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalCa } from '../../src/platform/tls/local-ca.ts';
import { startTestServer, type TestServer } from '../harness/server.ts';
import {
  COLLECT_CSP_VIOLATIONS,
  chromiumPrerequisiteMissing,
  findCertutil,
  launchChromiumTrusting,
  type TrustedBrowser,
} from './trusted-chromium.ts';

const SCREENSHOT = join(import.meta.dirname, '..', '..', 'test-results', 'web-shell.png');

const missing = chromiumPrerequisiteMissing('web-shell');

describe('web shell in Chromium', { skip: missing }, () => {
  let server: TestServer | undefined;
  let trusted: TrustedBrowser | undefined;

  before(async () => {
    server = await startTestServer();
    trusted = await launchChromiumTrusting(server.caPem, findCertutil() ?? 'certutil');
  });

  after(async () => {
    await trusted?.close();
    await server?.close();
  });

  it('loads over HTTPS with the local CA trusted, under the strict CSP, and shows the server ready', async () => {
    assert.ok(server && trusted);
    const context = await trusted.browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    try {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          consoleErrors.push(`${message.type()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
      await page.addInitScript({ content: COLLECT_CSP_VIOLATIONS });

      // A certificate the browser does not trust makes goto() reject with net::ERR_CERT_*.
      const response = await page.goto(`${server.origin}/`, { waitUntil: 'load' });
      assert.ok(response, 'navigation produced a response');
      assert.equal(response.status(), 200);
      const security = await response.securityDetails();
      assert.ok(security, 'the page was served over TLS');
      assert.match(security.protocol ?? '', /^TLS 1\.[23]$/);
      assert.match(security.issuer ?? '', /Parley/, 'the chain was built to the local Parley CA');

      const headers = response.headers();
      assert.match(headers['strict-transport-security'] ?? '', /max-age=\d+/);
      const csp = headers['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);

      assert.equal(await page.title(), 'Parley');
      await page.getByRole('heading', { level: 1, name: 'Parley' }).waitFor();
      assert.equal(
        await page.getByRole('button', { name: 'Sign in' }).isEnabled(),
        true,
        'signed out, the page offers sign-in',
      );

      const database = page.locator('[data-testid="check-database"] [data-state]');
      await database.waitFor({ timeout: 10_000 });
      assert.equal(await database.getAttribute('data-state'), 'ok');
      assert.equal((await page.getByTestId('server-state').textContent())?.trim(), 'Ready');
      assert.equal((await page.getByTestId('server-version').textContent())?.trim(), '0.1.0');

      await mkdir(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // The installable-app manifest is served from the same origin (CSP manifest-src/default-src 'self').
      const manifestName = await page.evaluate<string>(
        "fetch('/manifest.webmanifest').then((r) => r.json()).then((m) => m.name)",
      );
      assert.equal(manifestName, 'Parley');

      // Phone width in the dark scheme: the layout reflows to one column without horizontal scroll.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
      await page.getByRole('button', { name: 'Check now', disabled: false }).waitFor();
      const overflow = await page.evaluate<boolean>(
        'document.documentElement.scrollWidth > window.innerWidth',
      );
      assert.equal(overflow, false, 'no horizontal scrolling at phone width');
      await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-phone-dark.png'), fullPage: true });

      const violations = await page.evaluate<string[]>('window.__cspViolations');
      assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
      assert.deepEqual(consoleErrors, [], 'no console errors or warnings');
    } finally {
      await context.close();
    }
  });

  it('refuses the same page when the browser trusts a different CA (the trust above is real)', async () => {
    assert.ok(server);
    const stranger = await createLocalCa('Unrelated CA');
    const untrusting = await launchChromiumTrusting(stranger.certPem, findCertutil() ?? 'certutil');
    try {
      const page = await untrusting.browser.newPage();
      await assert.rejects(page.goto(`${server.origin}/`), /ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await untrusting.close();
    }
  });

  // Last: it stops the server.
  it('shows the server as unreachable, with an alert, when the server goes away', async () => {
    assert.ok(server && trusted);
    const context = await trusted.browser.newContext({ reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/`);
      await page.getByTestId('server-state').getByText('Ready').waitFor();
      await server.close();
      await page.getByRole('button', { name: 'Check now', disabled: false }).click();
      await page.getByTestId('server-state').getByText('Unreachable').waitFor({ timeout: 10_000 });
      assert.match((await page.getByRole('alert').textContent()) ?? '', /could not be reached/);
      // The last good reading stays on screen for context.
      assert.equal((await page.getByTestId('server-version').textContent())?.trim(), '0.1.0');
    } finally {
      await context.close();
    }
  });
});
