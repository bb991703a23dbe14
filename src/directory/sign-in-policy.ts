/**
 * Tenant sign-in policy: whether MFA is required, and the networks sign-in is allowed from
 * (conditional access by location). Networks are CIDR ranges, validated and normalised with
 * node:net so the sign-in check and the admin's input agree on what a range means.
 */
import { BlockList, isIP } from 'node:net';
import { invalidRequest, type FieldProblem } from '../platform/errors/app-error.ts';
import type { SignInPolicy } from './directory.types.ts';

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = { requireMfa: false, allowedNetworks: [] };
export const MAX_ALLOWED_NETWORKS = 200;

/** `addr/prefix` or a single address (a /32 or /128); returns the normalised form or undefined. */
export function parseCidr(
  text: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix < 0 || prefix > max) return undefined;
  return { address: address.toLowerCase(), prefix, family };
}

/** Validates and normalises a sign-in policy; 400 listing every bad network. */
export function validateSignInPolicy(policy: SignInPolicy): SignInPolicy {
  const problems: FieldProblem[] = [];
  if (policy.allowedNetworks.length > MAX_ALLOWED_NETWORKS)
    problems.push({ path: '/allowedNetworks', message: `at most ${MAX_ALLOWED_NETWORKS} networks` });
  const networks: string[] = [];
  policy.allowedNetworks.forEach((text, index) => {
    const parsed = parseCidr(text);
    if (parsed === undefined) {
      problems.push({ path: `/allowedNetworks/${index}`, message: 'must be an IPv4 or IPv6 CIDR range' });
      return;
    }
    const normal = `${parsed.address}/${parsed.prefix}`;
    if (!networks.includes(normal)) networks.push(normal);
  });
  if (problems.length > 0) throw invalidRequest('The sign-in policy is not valid.', problems);
  return { requireMfa: policy.requireMfa, allowedNetworks: networks };
}

/** Whether a client address may sign in under this policy (an empty list allows every address). */
export function isAddressAllowed(policy: SignInPolicy, address: string): boolean {
  if (policy.allowedNetworks.length === 0) return true;
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const network of policy.allowedNetworks) {
    const parsed = parseCidr(network);
    if (parsed !== undefined) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
