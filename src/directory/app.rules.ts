/**
 * What an app registration may contain. Redirect URIs follow RFC 9700 (OAuth 2.0 Security BCP)
 * §4.1.3 and RFC 8252 §7.3: registered as exact strings and compared exactly, absolute, HTTPS
 * except `http` on a loopback host for native apps, no fragment (RFC 6749 §3.1.2), no wildcards.
 */
import { invalidRequest, type FieldProblem } from '../platform/errors/app-error.ts';
import type { ApiScope, AppRole, RequiredResourceAccess } from './apps.types.ts';

export const MAX_REDIRECT_URIS = 50;
export const MAX_URI_LENGTH = 256;
export const MAX_IDENTIFIER_URIS = 20;
export const MAX_EXPOSED = 100;
export const MAX_RESOURCES = 50;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** RFC 6749 §3.3 scope-token, further limited to what Entra allows in a scope value. */
const SCOPE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/;

/** True when `text` has a space, a control character or one of `extra`. */
function hasUnsafeCharacters(text: string, extra: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || /\s/.test(char) || extra.includes(char)) return true;
  }
  return false;
}

/** The problem with one redirect URI, or undefined when it is acceptable. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length === 0 || uri.length > MAX_URI_LENGTH) return `must be 1 to ${MAX_URI_LENGTH} characters`;
  // Control characters, spaces and wildcards never belong in a registered URI.
  if (hasUnsafeCharacters(uri, '*')) return 'must not contain spaces, control characters or wildcards';
  if (uri.includes('#')) return 'must not contain a fragment';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain user information';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must use https (http only on localhost, 127.0.0.1 or [::1])';
}

function fail(message: string, problems: FieldProblem[]): never {
  throw invalidRequest(message, problems);
}

export function validateRedirectUris(uris: readonly string[]): string[] {
  const problems: FieldProblem[] = [];
  if (uris.length > MAX_REDIRECT_URIS)
    problems.push({ path: '/redirectUris', message: `at most ${MAX_REDIRECT_URIS} redirect URIs` });
  uris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri);
    if (problem !== undefined) problems.push({ path: `/redirectUris/${i}`, message: problem });
  });
  if (problems.length > 0) fail('A redirect URI is not acceptable.', problems);
  return [...new Set(uris)];
}

/**
 * Identifier URIs name the app as an API (the `aud` of tokens for it): `api://<appId>` style or
 * HTTPS on a verified domain of the owning tenant. Uniqueness across the installation is checked
 * by the service.
 */
export function validateIdentifierUris(
  uris: readonly string[],
  verifiedDomains: readonly string[],
): string[] {
  const problems: FieldProblem[] = [];
  if (uris.length > MAX_IDENTIFIER_URIS)
    problems.push({ path: '/identifierUris', message: `at most ${MAX_IDENTIFIER_URIS} identifier URIs` });
  uris.forEach((uri, i) => {
    const path = `/identifierUris/${i}`;
    if (uri.length === 0 || uri.length > MAX_URI_LENGTH || hasUnsafeCharacters(uri, '*#?')) {
      problems.push({ path, message: 'must be a URI without spaces, wildcards, query or fragment' });
      return;
    }
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      problems.push({ path, message: 'must be an absolute URI' });
      return;
    }
    if (url.protocol === 'api:') return;
    if (url.protocol === 'https:' && verifiedDomains.includes(url.hostname)) return;
    problems.push({ path, message: 'must be api://… or https:// on a verified domain of the tenant' });
  });
  if (problems.length > 0) fail('An identifier URI is not acceptable.', problems);
  return [...new Set(uris)];
}

function validateExposed<T extends ApiScope | AppRole>(items: readonly T[], field: string): T[] {
  const problems: FieldProblem[] = [];
  if (items.length > MAX_EXPOSED) problems.push({ path: `/${field}`, message: `at most ${MAX_EXPOSED}` });
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!SCOPE_TOKEN.test(item.value))
      problems.push({
        path: `/${field}/${i}/value`,
        message: 'must be a scope token (letters, digits, . _ : -)',
      });
    if (seen.has(item.value)) problems.push({ path: `/${field}/${i}/value`, message: 'is a duplicate' });
    seen.add(item.value);
  });
  if (problems.length > 0) fail(`The ${field} are not valid.`, problems);
  return items.map((item) => ({ ...item }));
}

export const validateApiScopes = (scopes: readonly ApiScope[]) => validateExposed(scopes, 'apiScopes');
export const validateAppRoles = (roles: readonly AppRole[]) => validateExposed(roles, 'appRoles');

/** Scope or role names as tokens (also used for consent grants). */
export function validateTokens(values: readonly string[], path: string): string[] {
  const problems = values.flatMap((v, i) =>
    SCOPE_TOKEN.test(v) ? [] : [{ path: `${path}/${i}`, message: 'must be a scope token' }],
  );
  if (values.length > MAX_EXPOSED) problems.push({ path, message: `at most ${MAX_EXPOSED}` });
  if (problems.length > 0) fail('A scope or role name is not valid.', problems);
  return [...new Set(values)];
}

/** A resource named by an app id (UUID) or an absolute URI. */
export function validateResource(resource: string, path = '/resource'): string {
  if (resource.length === 0 || resource.length > MAX_URI_LENGTH || hasUnsafeCharacters(resource, '*#'))
    fail('The resource is not valid.', [{ path, message: 'must be an app id or URI' }]);
  return resource;
}

export function validateRequiredResourceAccess(
  items: readonly RequiredResourceAccess[],
): RequiredResourceAccess[] {
  if (items.length > MAX_RESOURCES)
    fail('Too many resources.', [{ path: '/requiredResourceAccess', message: `at most ${MAX_RESOURCES}` }]);
  return items.map((item, i) => ({
    resource: validateResource(item.resource, `/requiredResourceAccess/${i}/resource`),
    scopes: validateTokens(item.scopes, `/requiredResourceAccess/${i}/scopes`),
    roles: validateTokens(item.roles, `/requiredResourceAccess/${i}/roles`),
  }));
}
