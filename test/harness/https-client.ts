/**
 * A small HTTPS client for tests that verifies the server against the generated CA (never
 * `rejectUnauthorized: false`) and can choose its source address on the loopback /8.
 */
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json<T = unknown>(): T;
}

export interface TestRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Source address of the connection, e.g. '127.0.0.23'. */
  readonly localAddress?: string;
}

export function httpsFetch(
  origin: string,
  caPem: string,
  path: string,
  init: TestRequest = {},
): Promise<TestResponse> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: init.method ?? 'GET',
        ca: caPem,
        // Explicit framing: node:http sends no Content-Length or chunking for a DELETE body.
        headers:
          init.body === undefined
            ? init.headers
            : { 'content-length': String(Buffer.byteLength(init.body)), ...init.headers },
        agent: false,
        ...(init.localAddress !== undefined ? { localAddress: init.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
