/**
 * Launches Debian's Chromium with a given CA trusted the way a user's browser would trust it: as a
 * trust anchor in the NSS certificate database that Chromium on Linux reads from
 * `$HOME/.pki/nssdb`. The browser therefore does full certificate verification against the
 * generated CA (a wrong name, an expired leaf or another CA would still fail), unlike
 * `ignoreHTTPSErrors` or `--ignore-certificate-errors-spki-list`, which switch verification off
 * for the matched certificates.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CERTUTIL_CANDIDATES = ['/usr/bin/certutil', '/usr/local/bin/certutil'];

/** Path of NSS's certutil (Debian package libnss3-tools), or undefined when it is not installed. */
export function findCertutil(): string | undefined {
  return CERTUTIL_CANDIDATES.find((p) => existsSync(p));
}

/** A browser whose NSS database trusts one CA, and the temporary HOME holding that database. */
export interface TrustedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Creates a temporary HOME whose NSS DB trusts `caPem` for TLS servers, and launches Chromium in it. */
export async function launchChromiumTrusting(caPem: string, certutil: string): Promise<TrustedBrowser> {
  const home = await mkdtemp(join(tmpdir(), 'parley-chromium-home-'));
  try {
    const nssDb = join(home, '.pki', 'nssdb');
    await mkdir(nssDb, { recursive: true, mode: 0o700 });
    const caFile = join(home, 'parley-ca.crt');
    await writeFile(caFile, caPem);
    // `sql:` selects the SQLite-format cert9.db that current NSS and Chromium use.
    execFileSync(certutil, ['-d', `sql:${nssDb}`, '-N', '--empty-password'], { stdio: 'pipe' });
    // Trust flags "C,,": a trusted CA for issuing TLS server certificates, nothing else.
    execFileSync(certutil, ['-d', `sql:${nssDb}`, '-A', '-n', 'parley-ca', '-t', 'C,,', '-i', caFile], {
      stdio: 'pipe',
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      env: { ...process.env, HOME: home },
    });
    return {
      browser,
      async close() {
        await browser.close();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(home, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Why a browser test cannot run here, or undefined when it can. In CI a missing prerequisite is
 * an error; elsewhere the test is skipped with a loud message.
 */
export function chromiumPrerequisiteMissing(testName: string): string | undefined {
  let missing: string | undefined;
  if (!existsSync(CHROMIUM_PATH))
    missing = `Chromium is not installed at ${CHROMIUM_PATH} (Debian package chromium)`;
  else if (findCertutil() === undefined) missing = 'certutil is not installed (Debian package libnss3-tools)';
  if (missing === undefined) return undefined;
  if (process.env.CI === 'true') throw new Error(`${missing}; the browser test cannot run in CI without it`);
  console.error(`\n!!! SKIPPING the Chromium ${testName} test: ${missing}.\n`);
  return missing;
}

/**
 * Runs in the page before any of its scripts. Playwright injects it through the DevTools protocol,
 * outside the page's CSP, so collecting violations needs no exception in the policy under test.
 */
export const COLLECT_CSP_VIOLATIONS = `
  const violations = [];
  Object.defineProperty(window, '__cspViolations', { value: violations });
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push(e.violatedDirective + ' blocked ' + e.blockedURI);
  });
`;
