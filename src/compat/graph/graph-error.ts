/**
 * Errors with Microsoft Graph's own codes. They are AppErrors (same hierarchy, same logging), and
 * carry the Graph `code` the SDKs and apps match on (`GraphError.code` in the v3 client,
 * `ODataError.error.code` in Kiota). Codes and messages follow what Graph itself answers for
 * directory objects (Graph docs, concepts/errors.md; Entra's `Request_*` / `Authorization_*` codes).
 */
import { AppError, type AppErrorOptions, type ErrorCode } from '../../platform/errors/app-error.ts';

const APP_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** An AppError whose envelope carries Graph's code instead of Parley's. */
export class GraphError extends AppError {
  readonly graphCode: string;

  constructor(graphCode: string, status: number, message: string, options: AppErrorOptions = {}) {
    super(APP_CODES[status] ?? 'internal_error', status, message, options);
    this.name = 'GraphError';
    this.graphCode = graphCode;
  }
}

/** Graph's answer when a token lacks the permission an operation needs. */
export const requestDenied = () =>
  new GraphError('Authorization_RequestDenied', 403, 'Insufficient privileges to complete the operation.');

/** Graph's answer for a directory object that does not exist (or is in another tenant). */
export const resourceNotFound = (id: string) =>
  new GraphError(
    'Request_ResourceNotFound',
    404,
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** A well-formed query Parley does not support (Graph: `Request_UnsupportedQuery`). */
export const unsupportedQuery = (message: string) => new GraphError('Request_UnsupportedQuery', 400, message);

/** A malformed query parameter on a directory resource (Graph: `Request_BadRequest`). */
export const badQuery = (message: string) => new GraphError('Request_BadRequest', 400, message);

/** A malformed request outside the directory's own checks (Graph: `BadRequest`). */
export const graphBadRequest = (message: string) => new GraphError('BadRequest', 400, message);
