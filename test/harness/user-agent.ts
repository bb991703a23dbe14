/**
 * A minimal browser for protocol tests: a cookie jar that honours Path, manual redirects, and the
 * Origin header a browser adds to POSTs. It drives Parley's sign-in pages the way a person's
 * browser would, without a real browser, so OAuth flows can be tested headlessly and fast.
 */
import { httpsFetch, type TestResponse } from './https-client.ts';

interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

export class TestUserAgent {
  readonly #origin: string;
  readonly #caPem: string;
  #cookies: Cookie[] = [];

  constructor(origin: string, caPem: string) {
    this.#origin = origin;
    this.#caPem = caPem;
  }

  /** One request; stores cookies; does not follow redirects. */
  async request(
    pathOrUrl: string,
    init: {
      method?: string;
      json?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<TestResponse> {
    const url = new URL(pathOrUrl, this.#origin);
    if (url.origin !== this.#origin) throw new Error(`refusing to leave ${this.#origin}: ${url.href}`);
    const headers: Record<string, string> = { accept: 'text/html,application/json', ...init.headers };
    const cookie = this.#cookieHeader(url.pathname);
    if (cookie !== '') headers.cookie = cookie;
    let body: string | undefined;
    const method = init.method ?? (init.json !== undefined || init.form !== undefined ? 'POST' : 'GET');
    if (method !== 'GET' && init.headers?.origin === undefined) headers.origin = this.#origin;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await httpsFetch(this.#origin, this.#caPem, `${url.pathname}${url.search}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    this.#store(response.headers['set-cookie'] ?? []);
    return response;
  }

  /** Follows redirects on this origin; returns the first non-redirect response or the off-site URL. */
  async follow(
    pathOrUrl: string,
    maxHops = 10,
  ): Promise<{ response?: TestResponse; offsite?: URL; url: URL }> {
    let url = new URL(pathOrUrl, this.#origin);
    for (let hop = 0; hop < maxHops; hop++) {
      if (url.origin !== this.#origin) return { offsite: url, url };
      const response = await this.request(url.href);
      const location = response.headers.location;
      if (response.status < 300 || response.status >= 400 || location === undefined) return { response, url };
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }

  #cookieHeader(path: string): string {
    return this.#cookies
      .filter(
        (c) =>
          path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/',
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  #store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      this.#cookies = this.#cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired) this.#cookies.push({ name, value, path });
    }
  }
}

/** Reads a form's action and hidden inputs from an HTML page (the provider's own pages). */
export function readForm(html: string, formId: string): { action: string; fields: Record<string, string> } {
  const start = html.indexOf(`id="${formId}"`);
  if (start === -1) throw new Error(`form ${formId} not found`);
  const formTag = html.slice(html.lastIndexOf('<form', start), html.indexOf('>', start) + 1);
  const action = /action="([^"]*)"/.exec(formTag)?.[1] ?? '';
  const end = html.indexOf('</form>', start);
  const fields: Record<string, string> = {};
  for (const input of html.slice(start, end).matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name !== undefined) fields[name] = value.replace(/&amp;/g, '&');
  }
  return { action: action.replace(/&amp;/g, '&'), fields };
}
