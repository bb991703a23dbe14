/**
 * JSON requests to Parley's own API. Errors arrive as `{"error":{"code","message","requestId"}}`
 * (one renderer on the server); anything else (a proxy's HTML page, a dropped connection) becomes
 * an {@link ApiError} with a stable client-side code, so pages only ever handle one error type.
 */

/** An error answer from the server, or a failure to reach it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly status: number;
  readonly requestId: string | undefined;
  /** Seconds to wait, from `Retry-After` on 429 and 503 answers. */
  readonly retryAfterSec: number | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    extra: { requestId?: string | undefined; retryAfterSec?: number | undefined } = {},
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.requestId = extra.requestId;
    this.retryAfterSec = extra.retryAfterSec;
  }
}

/** Narrows `unknown` to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the error envelope of a failed response, falling back to a generic message. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSec = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const requestId = typeof error.requestId === 'string' ? error.requestId : undefined;
    return new ApiError(error.code, response.status, error.message, { requestId, retryAfterSec });
  }
  return new ApiError('http_error', response.status, `The server answered ${response.status}.`, {
    retryAfterSec,
  });
}

/** Options of {@link requestJson}. */
export interface JsonRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON with `Content-Type: application/json`. */
  readonly body?: unknown;
  readonly accessToken?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends a same-origin JSON request and returns the parsed body (undefined for 204). The browser
 * adds `Origin` to every POST, which the server checks against its own origin.
 */
export async function requestJson(path: string, options: JsonRequest = {}): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.accessToken !== undefined) headers.authorization = `Bearer ${options.accessToken}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (options.signal?.aborted === true) throw err;
    throw new ApiError('network_error', 0, 'The server could not be reached. Check your connection.');
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('bad_response', response.status, 'The server sent an unreadable response.');
  }
}

/** Message to show for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error && err.message !== '') return err.message;
  return 'Something went wrong. Try again.';
}
