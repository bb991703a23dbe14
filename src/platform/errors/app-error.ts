/**
 * The one error hierarchy. Every error a client can see carries a stable machine `code` and an
 * HTTP `status`; the renderer (`error-renderer.ts`) turns it into the response envelope.
 * Anything that is not an AppError is an internal error and is never shown to the client.
 */

/** Stable machine codes. Clients and tests match on these, so never rename one. */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'request_timeout'
  | 'service_unavailable'
  | 'internal_error'
  // Sign-in (identity provider interaction API).
  | 'invalid_credentials'
  | 'invalid_code'
  | 'network_not_allowed'
  | 'signin_throttled'
  | 'signin_expired'
  | 'step_out_of_order';

/** One field-level problem in a request. */
export interface FieldProblem {
  /** JSON pointer into the request part, e.g. "/body/name". */
  readonly path: string;
  readonly message: string;
}

export interface AppErrorOptions {
  readonly details?: readonly FieldProblem[];
  /** Extra response headers (Retry-After, WWW-Authenticate). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: readonly FieldProblem[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, status: number, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const badRequest = (message: string, details?: readonly FieldProblem[]) =>
  new AppError('bad_request', 400, message, details === undefined ? {} : { details });
export const invalidRequest = (message: string, details: readonly FieldProblem[]) =>
  new AppError('invalid_request', 400, message, { details });
export const unauthenticated = (message = 'Authentication is required.') =>
  new AppError('unauthenticated', 401, message, { headers: { 'www-authenticate': 'Bearer' } });
export const forbidden = (message = 'You do not have permission to do this.') =>
  new AppError('forbidden', 403, message);
export const notFound = (message = 'The resource does not exist.') => new AppError('not_found', 404, message);
export const conflict = (message: string) => new AppError('conflict', 409, message);
export const payloadTooLarge = (limitBytes: number) =>
  new AppError('payload_too_large', 413, `The request body is larger than the limit of ${limitBytes} bytes.`);
export const rateLimited = (retryAfterSec: number) =>
  new AppError('rate_limited', 429, 'Too many requests. Try again later.', {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSec))) },
  });
export const serviceUnavailable = (message = 'The service is not available right now.') =>
  new AppError('service_unavailable', 503, message, { headers: { 'retry-after': '5' } });
export const internalError = () => new AppError('internal_error', 500, 'An internal error occurred.');
