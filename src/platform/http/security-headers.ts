/**
 * Response headers every HTTPS response carries, errors and 429s included: HSTS (RFC 6797), a strict
 * CSP with frame-ancestors (CSP Level 3), nosniff, and cross-origin isolation. They never vary, so
 * they are rendered once at start and set by the first onRequest hook; later hooks that refuse a
 * request still inherit them. (@fastify/helmet rebuilt the CSP string on every request, about 8 %
 * of the busy CPU in `npm run bench -- http`.)
 */
import type { FastifyInstance } from 'fastify';
import { HSTS_HEADER } from '../tls/tls-profile.ts';

/** The Content-Security-Policy of the web client and the API. */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
  'upgrade-insecure-requests': [],
};

export function renderCsp(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** Every header, rendered once. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': HSTS_HEADER,
  'content-security-policy': renderCsp(CSP_DIRECTIVES),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'permissions-policy': 'camera=(self), microphone=(self), geolocation=(), payment=(), usb=()',
};

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
}
