/**
 * Recovery codes: single-use second factors for when the authenticator is lost. Ten per user,
 * `xxxx-xxxx-xxxx` from a 31-letter alphabet without look-alikes (0/o, 1/l/i): about 59 bits each,
 * shown once and stored only as a keyed hash (HMAC-SHA-256 with a key derived from the
 * installation secret, bound to the user id). High entropy makes a slow hash unnecessary, and the
 * key means a copy of the database alone is not enough to test guesses offline.
 */
import { createHmac, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const CHARS = GROUPS * GROUP_LENGTH;
/** What a recovery code looks like once normalised; also the pattern request schemas use. */
export const RECOVERY_CODE_PATTERN = '^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$';

/** Fresh random codes, formatted for display. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let raw = '';
    for (let i = 0; i < CHARS; i++) raw += ALPHABET.charAt(randomInt(ALPHABET.length));
    return format(raw);
  });
}

function format(raw: string): string {
  const groups: string[] = [];
  for (let i = 0; i < raw.length; i += GROUP_LENGTH) groups.push(raw.slice(i, i + GROUP_LENGTH));
  return groups.join('-');
}

/**
 * The canonical form of what a person typed (case, spaces and hyphens do not matter), or
 * undefined when it cannot be a recovery code.
 */
export function normalizeRecoveryCode(input: string): string | undefined {
  if (input.length > 40) return undefined;
  const raw = input.toLowerCase().replace(/[\s-]/g, '');
  if (raw.length !== CHARS || !/^[a-z0-9]+$/.test(raw)) return undefined;
  return format(raw);
}

/** Keyed hash of a normalised code for one user. */
export function hashRecoveryCode(key: Buffer, userId: string, code: string): string {
  return createHmac('sha256', key).update(`${userId}\n${code}`, 'utf8').digest('base64url');
}
