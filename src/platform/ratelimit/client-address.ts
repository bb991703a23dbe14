/**
 * Canonical client addresses and subnet keys for rate limiting.
 *
 * One client must map to one bucket key however its address is spelled, or a client could escape a
 * limit by rewriting its own address: `::ffff:203.0.113.7` is the IPv4 client 203.0.113.7 seen on a
 * dual-stack socket (RFC 4291 §2.5.5.2), and `2001:DB8:0:0::1`, `2001:db8::1` and
 * `2001:0db8:0000::0001` are one address. IPv6 is written in the RFC 5952 canonical text form.
 *
 * Subnet keys group the addresses one party can cheaply rotate through: an IPv4 /24 and an IPv6
 * /64 (the smallest prefix an end site gets, RFC 6177 / RFC 4291 §2.5.4).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Parsed address: 4 octets (IPv4) or 8 hextets (IPv6). */
type Parsed = { readonly v: 4; readonly parts: number[] } | { readonly v: 6; readonly parts: number[] };

/**
 * Returns the canonical form of an IP address: IPv4 in dotted decimal, IPv4-mapped IPv6 as its
 * IPv4 address, other IPv6 in RFC 5952 form (lower case, no leading zeros, longest zero run as `::`).
 * A zone id (`fe80::1%eth0`, RFC 6874) is dropped: it names the local interface, not the client,
 * and keeping it would let one host appear as many.
 * @throws TypeError when `ip` is not an IPv4 or IPv6 address.
 */
export function normalizeAddress(ip: string): string {
  return format(parse(ip));
}

/**
 * Returns the subnet containing `ip` as `network/prefix`, e.g. `203.0.113.0/24` or
 * `2001:db8:1:2::/64`. IPv4-mapped IPv6 addresses use the IPv4 prefix.
 * @throws TypeError when `ip` is not an address; RangeError when a prefix is out of range.
 */
export function subnetKey(ip: string, v4Prefix: number, v6Prefix: number): string {
  checkPrefix(v4Prefix, 32, 'v4Prefix');
  checkPrefix(v6Prefix, 128, 'v6Prefix');
  const parsed = parse(ip);
  const prefix = parsed.v === 4 ? v4Prefix : v6Prefix;
  const width = parsed.v === 4 ? 8 : 16;
  const masked = parsed.parts.map((part, i) => {
    const bitsKept = Math.min(width, Math.max(0, prefix - i * width));
    // Keep the top `bitsKept` bits of this field.
    const mask = bitsKept === 0 ? 0 : ((1 << width) - 1) ^ ((1 << (width - bitsKept)) - 1);
    return part & mask;
  });
  return `${format({ v: parsed.v, parts: masked })}/${prefix}`;
}

function checkPrefix(prefix: number, max: number, name: string): void {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${prefix}`);
  }
}

function parse(input: string): Parsed {
  if (isIPv4(input)) return { v: 4, parts: parseV4(input) };
  const zone = input.indexOf('%');
  const ip = zone === -1 ? input : input.slice(0, zone);
  // The zone must be non-empty when present; `isIPv6` on the stripped part checks the rest.
  if (zone === input.length - 1 || !isIPv6(ip))
    throw new TypeError(`not an IP address: ${JSON.stringify(input)}`);
  const parts = parseV6(ip);
  // ::ffff:0:0/96 is an IPv4 client on an IPv6 socket (RFC 4291 §2.5.5.2).
  if (parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff) {
    const hi = parts[6] ?? 0;
    const lo = parts[7] ?? 0;
    return { v: 4, parts: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff] };
  }
  return { v: 6, parts };
}

function parseV4(ip: string): number[] {
  return ip.split('.').map((o) => Number.parseInt(o, 10));
}

/** Expands a valid IPv6 text form (already checked by `isIPv6`) into 8 hextets. */
function parseV6(ip: string): number[] {
  const hextets = (text: string): number[] => {
    if (text === '') return [];
    const fields = text.split(':');
    const last = fields.at(-1) ?? '';
    if (last.includes('.')) {
      // Embedded dotted IPv4 in the last 32 bits (RFC 4291 §2.2, form 3).
      const [a = 0, b = 0, c = 0, d = 0] = parseV4(last);
      fields.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    }
    return fields.map((f) => Number.parseInt(f, 16));
  };
  const gap = ip.indexOf('::');
  if (gap === -1) return hextets(ip);
  const head = hextets(ip.slice(0, gap));
  const tail = hextets(ip.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function format(parsed: Parsed): string {
  if (parsed.v === 4) return parsed.parts.join('.');
  const parts = parsed.parts;
  // RFC 5952 §4.2: compress the longest run of two or more zero fields, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < parts.length;) {
    if (parts[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < parts.length && parts[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = parts.map((p) => p.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
