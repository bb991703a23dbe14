/**
 * A JSON client for the admin API in integration tests, acting as one principal through the
 * test-only `x-test-principal` header authenticator.
 */
import type { TestResponse } from '../harness/https-client.ts';
import type { TestServer } from '../harness/server.ts';
import { principalHeader } from '../fixtures/principal-header-authenticator.ts';

export interface AdminClient {
  get(path: string): Promise<TestResponse>;
  post(path: string, body?: unknown): Promise<TestResponse>;
  put(path: string, body?: unknown): Promise<TestResponse>;
  patch(path: string, body: unknown): Promise<TestResponse>;
  delete(path: string): Promise<TestResponse>;
  /** Sends a raw body (for malformed or oversize JSON). */
  raw(method: string, path: string, body: string | Buffer): Promise<TestResponse>;
}

/** Requests as the user `userId` of `tenantId` to paths under `/api/v1/admin`. */
export function adminClient(
  server: TestServer,
  tenantId: string,
  userId: string,
  kind: 'user' | 'app' = 'user',
): AdminClient {
  const headers = principalHeader(kind, tenantId, userId);
  const send = (method: string, path: string, body?: string | Buffer) =>
    server.fetch(`/api/v1/admin${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
  const json = (method: string) => (path: string, body?: unknown) =>
    send(method, path, body === undefined ? undefined : JSON.stringify(body));
  return {
    get: (path) => send('GET', path),
    post: json('POST'),
    put: json('PUT'),
    patch: json('PATCH'),
    delete: (path) => send('DELETE', path),
    raw: (method, path, body) => send(method, path, body),
  };
}
