/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps implement them: HMAC-SHA-1,
 * 6 digits, 30-second steps (the defaults of RFC 6238 §4 and of the Key Uri Format every app reads).
 * These functions hold no state; the one-use rule (§5.2) is kept by the store through the last
 * accepted step.
 */
import { timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode-svg';

export const TOTP_PERIOD_SEC = 30;
export const TOTP_DIGITS = 6;
/** RFC 4226 §4 R6 asks for at least 128 bits and recommends 160: the length of an SHA-1 key. */
const SECRET_BYTES = 20;
/**
 * RFC 6238 §5.2 allows a small window for clock drift and network delay: one step either side,
 * so a code stays usable for 60–90 s and no longer.
 */
const DRIFT_STEPS = 1;
const CODE = /^[0-9]{6}$/;

/** A new shared secret, base32 (RFC 4648) as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

function totpFor(secretBase32: string, issuer = '', label = 'account'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SEC,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The RFC 6238 time step T = floor(unixSeconds / 30) for an epoch-ms instant. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SEC);
}

/** The code for one time step. */
export function totpCodeAt(secretBase32: string, step: number): string {
  return totpFor(secretBase32).generate({ timestamp: step * TOTP_PERIOD_SEC * 1000 });
}

/**
 * The time steps within the drift window whose code equals `code`, newest first. Usually none or
 * one; the caller takes the newest step that has not been used yet. Every candidate is computed
 * and compared in constant time, so timing says nothing about which step matched.
 */
export function matchingTotpSteps(secretBase32: string, code: string, nowMs: number): number[] {
  if (!CODE.test(code)) return [];
  const current = totpStep(nowMs);
  const given = Buffer.from(code, 'utf8');
  const matches: number[] = [];
  for (let step = current + DRIFT_STEPS; step >= current - DRIFT_STEPS; step--) {
    const expected = Buffer.from(totpCodeAt(secretBase32, step), 'utf8');
    if (timingSafeEqual(expected, given)) matches.push(step);
  }
  return matches;
}

/**
 * The `otpauth://totp/Issuer:account?secret=…&issuer=…` URI (Google Authenticator Key Uri
 * Format) that apps import, by QR code or by hand.
 */
export function totpUri(secretBase32: string, issuer: string, accountName: string): string {
  return totpFor(secretBase32, issuer, accountName).toString();
}

/**
 * The URI as a QR code: an SVG of one `<path>` (no script, no external reference), sized by its
 * viewBox so the page can scale it.
 */
export function totpQrSvg(uri: string): string {
  return new QRCode({
    content: uri,
    ecl: 'M',
    padding: 2,
    join: true,
    pretty: false,
    xmlDeclaration: false,
    container: 'svg-viewbox',
  }).svg();
}
