/**
 * Turns what a caller hands to the audit log into the fields that are stored and hashed.
 *
 * - Log injection (OWASP Logging Cheat Sheet; CWE-117): CR, LF, every other C0 and C1 control,
 *   DEL, ESC (and with it every ANSI/VT100 escape sequence), Unicode line and paragraph
 *   separators and bidirectional overrides (CVE-2021-42574, "Trojan Source") are replaced by
 *   visible escapes such as `\n` and `\u001b`. The evidence stays readable; a terminal or a
 *   line-based log viewer no longer interprets it, so a field cannot forge a second record or
 *   repaint the screen.
 * - Secrets: detail keys that name a credential (password, secret, token, code, assertion,
 *   authorization, cookie…) keep their key but lose their value; JWT/JWE-shaped strings, bearer
 *   credentials, passwords in URLs and secret query parameters are cut out of every string; an
 *   opaque credential-shaped detail value (long, random-looking base64) is dropped.
 * - Size: every field has a length cap and `details` a key cap, so one caller cannot bloat the
 *   table.
 * - Text is made well-formed UTF-16 first: a lone surrogate would be stored as U+FFFD by the
 *   database driver and the record would no longer match its hash.
 *
 * Nothing here throws on odd input (wrong runtime types included); the caller's request must not
 * fail because its audit entry was malformed.
 */
import type { AuditEntry } from './audit.types.ts';
import type { AuditFields } from './audit-hash.ts';

export const REDACTED = '[redacted]';

const MAX = {
  tenantId: 100,
  actorType: 32,
  id: 200,
  sourceIp: 64,
  action: 100,
  targetType: 64,
  reason: 200,
  detailKey: 64,
  detailValue: 500,
  detailKeys: 32,
} as const;

/** Detail keys longer than this are not real keys; their values are dropped unread. */
const MAX_KEY_SCAN = 256;

type DetailValue = string | number | boolean | null;

/** Controls, separators and bidi formatting characters that must never reach a viewer raw. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A JWS (three segments) or JWE (five): the protected header is base64url JSON, so it starts with
 * `eyJ` (`{"`). The second pattern catches JWT-like triples whose header was altered.
 * Every pattern here runs on caller-controlled text, so each one can start only at the beginning
 * of a run (the lookbehinds) and scans forward once: linear time, no catastrophic backtracking.
 */
const JWT_LIKE = [
  /(?<![\w-])eyJ[\w-]{4,}\.[\w-]*\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g,
  /(?<![\w-])[\w-]{16,}\.[\w-]{16,}\.[\w-]{16,}/g,
  // The start of a token cut off by MAX_INPUT.
  /(?<![\w-])eyJ[\w-]{4,}(?:\.[\w-]*)?$/g,
];
/** RFC 6750 §2.1 bearer and RFC 7617 basic credentials. */
const AUTH_SCHEME = /\b(bearer|basic)\s+[\w.~+/=-]+/gi;
/** RFC 3986 §3.2.1: `user:password@` in a URI ("deprecated", still seen in connection strings). */
const URL_USERINFO = /(\/\/)[^\s/@:]*:[^\s/@]*@/g;
/** A query parameter: the name is bounded so a long run without `=` is given up quickly. */
const QUERY_PARAM = /([?&;])([^=&;#\s]{1,100})=([^&;#\s]*)/g;
/**
 * Longest text looked at: every stored field is capped far below this, and it bounds the work one
 * entry can cause. A token cut at this point is still recognised (the last JWT pattern).
 */
const MAX_INPUT = 8192;

/** Words that, anywhere in a detail key, mark its value as a credential. */
const SECRET_KEY_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'cookie',
  'assertion',
  'authorization',
  'credential',
  'apikey',
  'privatekey',
  'jwt',
];
/** Short words that mark a credential only as a whole word (`code`, but not `encoded`). */
const SECRET_KEY_WORDS = new Set([
  'code',
  'pwd',
  'otp',
  'totp',
  'pin',
  'bearer',
  'signature',
  'sig',
  'nonce',
]);

/** Replaces unsafe characters with visible escapes. */
function escapeUnsafe(text: string): string {
  return text.replace(
    UNSAFE_CHARS,
    (ch) => NAMED_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Cuts credential-shaped substrings out of free text. */
function redactEmbedded(text: string): string {
  let out = text;
  for (const pattern of JWT_LIKE) out = out.replace(pattern, REDACTED);
  return out
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(QUERY_PARAM, (param: string, sep: string, name: string) =>
      isSecretKey(name) || /key|sig/i.test(name) ? `${sep}${name}=${REDACTED}` : param,
    );
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`.toWellFormed();
}

/** One stored string: well-formed, credentials cut out, controls escaped, capped. */
export function neutralise(value: unknown, max: number): string {
  const text = (typeof value === 'string' ? value : String(value)).slice(0, MAX_INPUT).toWellFormed();
  return cap(escapeUnsafe(redactEmbedded(text)), max);
}

function optional(value: unknown, max: number): string | null {
  return value === undefined || value === null ? null : neutralise(value, max);
}

/** Whether a detail key names a credential. */
export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (SECRET_KEY_PARTS.some((part) => lower.includes(part))) return true;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => SECRET_KEY_WORDS.has(w) || SECRET_KEY_WORDS.has(w.replace(/s$/, '')));
}

/**
 * Whether a whole value looks like an opaque credential: 32 or more base64 characters mixing
 * upper case, lower case and digits (random tokens, codes, client secrets). UUIDs and hex digests
 * (one letter case) are ids and stay.
 */
export function looksLikeOpaqueCredential(value: string): boolean {
  return /^[\w~+/=.-]{32,}$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value);
}

function detailValue(key: string, value: unknown): DetailValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'boolean') return value;
  // A secret key keeps booleans (`hasPassword: true`) but never a string or number (PINs, codes).
  // A key too long to be a real one is not worth scanning: its value is dropped.
  if (key.length > MAX_KEY_SCAN || isSecretKey(key)) return REDACTED;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    return looksLikeOpaqueCredential(value.trim()) ? REDACTED : neutralise(value, MAX.detailValue);
  }
  if (typeof value === 'bigint') return neutralise(value.toString(), MAX.detailValue);
  return '[unsupported]';
}

/**
 * `details` as canonical JSON text (keys sorted), or null when empty. Keys beyond the cap are
 * dropped and counted in `droppedKeys`.
 */
export function detailsJson(details: unknown): string | null {
  if (details === null || typeof details !== 'object') return null;
  const entries = Object.entries(details as Record<string, unknown>);
  const out = new Map<string, DetailValue>();
  for (const [rawKey, rawValue] of entries.slice(0, MAX.detailKeys)) {
    const key = neutralise(rawKey, MAX.detailKey) || '(empty)';
    const value = detailValue(rawKey, rawValue);
    if (value !== undefined) out.set(key, value);
  }
  if (entries.length > MAX.detailKeys) out.set('droppedKeys', entries.length - MAX.detailKeys);
  if (out.size === 0) return null;
  const sorted = [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(sorted));
}

/** The stored, hashed fields of `entry`, recorded at `occurredAt` (epoch ms, UTC). */
export function sanitiseEntry(entry: AuditEntry, occurredAt: number): AuditFields {
  // Read defensively: callers in plain JavaScript or with casts may break the declared types.
  const actor = (entry.actor as Partial<AuditEntry['actor']> | null | undefined) ?? {};
  const target = entry.target as Partial<NonNullable<AuditEntry['target']>> | null | undefined;
  return {
    occurred_at: occurredAt,
    tenant_id: optional(entry.tenantId, MAX.tenantId),
    actor_type: neutralise(actor.type ?? 'anonymous', MAX.actorType),
    actor_id: optional(actor.id, MAX.id),
    source_ip: optional(entry.sourceIp, MAX.sourceIp),
    action: neutralise(entry.action, MAX.action) || 'unknown',
    target_type: target == null ? null : neutralise(target.type ?? 'unknown', MAX.targetType),
    target_id: target == null ? null : neutralise(target.id ?? 'unknown', MAX.id),
    // Anything but an explicit success counts as a failure: the safe reading of a bad value.
    outcome: entry.outcome === 'success' ? 'success' : 'failure',
    reason: optional(entry.reason, MAX.reason),
    details: detailsJson(entry.details),
  };
}

/** Recorded in place of an entry that could not be read at all (a throwing getter, say). */
export function malformedEntryFields(occurredAt: number): AuditFields {
  return {
    occurred_at: occurredAt,
    tenant_id: null,
    actor_type: 'system',
    actor_id: null,
    source_ip: null,
    action: 'audit.entry_malformed',
    target_type: null,
    target_id: null,
    outcome: 'failure',
    reason: 'malformed_entry',
    details: null,
  };
}
