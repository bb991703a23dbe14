/**
 * Graph's error envelope and correlation headers (Graph docs, concepts/errors.md):
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}` with the
 * casing `innerError`, plus `request-id` and `client-request-id` response headers on every answer.
 * The v3 client's GraphErrorHandler reads `innerError["request-id"]` and `innerError.date`; Kiota's
 * ODataError reads the same fields.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError, ErrorCode } from '../../platform/errors/app-error.ts';
import { toAppError } from '../../platform/http/error-renderer.ts';
import { GraphError } from './graph-error.ts';

/** Graph's JSON media type; the SDKs look for `application/json` in it. */
export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Client ids are echoed into a header and the body: only short, plain tokens are taken. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

const clientIds = new WeakMap<FastifyRequest, string>();

/** The caller's `client-request-id` when well-formed, otherwise one generated for it (stable per request). */
export function clientRequestId(request: FastifyRequest): string {
  const known = clientIds.get(request);
  if (known !== undefined) return known;
  const inbound = request.headers['client-request-id'];
  const id = typeof inbound === 'string' && CLIENT_REQUEST_ID.test(inbound) ? inbound : randomUUID();
  clientIds.set(request, id);
  return id;
}

/** Sets Graph's correlation headers; `request-id` is the platform's id for this request. */
export function setCorrelationHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('request-id', request.id);
  reply.header('client-request-id', clientRequestId(request));
}

/** Graph's `innerError.date`: ISO 8601 in UTC to the second, as Graph writes it. */
export function graphDate(at: Date = new Date()): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface GraphErrorEnvelope {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly innerError: {
      readonly date: string;
      readonly 'request-id': string;
      readonly 'client-request-id': string;
    };
  };
}

/** Graph codes for Parley's own error codes (anything not raised as a GraphError). */
const GRAPH_CODES: Readonly<Partial<Record<ErrorCode, string>>> = {
  bad_request: 'BadRequest',
  invalid_request: 'BadRequest',
  unauthenticated: 'InvalidAuthenticationToken',
  forbidden: 'Authorization_RequestDenied',
  not_found: 'Request_ResourceNotFound',
  method_not_allowed: 'BadRequest',
  payload_too_large: 'BadRequest',
  unsupported_media_type: 'BadRequest',
  request_timeout: 'timeout',
  rate_limited: 'TooManyRequests',
  service_unavailable: 'serviceNotAvailable',
  internal_error: 'generalException',
};

function graphCodeAndMessage(error: AppError, request: FastifyRequest): [string, string] {
  if (error instanceof GraphError) return [error.graphCode, error.message];
  switch (error.code) {
    case 'unauthenticated':
      // Graph's own wording: an absent token and a token that fails validation differ.
      return [
        'InvalidAuthenticationToken',
        request.headers.authorization === undefined
          ? 'Access token is empty.'
          : 'Access token validation failure.',
      ];
    case 'rate_limited':
      return ['TooManyRequests', 'Too many requests.'];
    case 'internal_error':
      return ['generalException', 'General exception while processing.'];
    default:
      return [GRAPH_CODES[error.code] ?? 'generalException', error.message];
  }
}

export function graphEnvelope(error: AppError, request: FastifyRequest): GraphErrorEnvelope {
  const [code, message] = graphCodeAndMessage(error, request);
  return {
    error: {
      code,
      message,
      innerError: {
        date: graphDate(),
        'request-id': request.id,
        'client-request-id': clientRequestId(request),
      },
    },
  };
}

function sendGraphError(error: AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  setCorrelationHeaders(request, reply);
  return reply
    .code(error.status)
    .headers(error.headers)
    .header('cache-control', 'no-store')
    .type(GRAPH_JSON)
    .send(graphEnvelope(error, request));
}

/**
 * Error handler of the Graph scope. It also receives errors thrown by the platform's hooks (access
 * guard, rate limits) for routes of this scope, because Fastify hands a route's errors to the
 * handler of the scope the route was declared in.
 */
export function graphErrorHandler(bodyLimitBytes: number) {
  return function handleGraphError(
    this: unknown,
    error: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply {
    const appError = toAppError(error, bodyLimitBytes);
    if (appError.status >= 500) request.log.error({ err: error }, 'graph request failed');
    else request.log.info({ code: appError.code, status: appError.status }, 'graph request refused');
    return sendGraphError(appError, request, reply);
  };
}

/** Known first segments after `/v1.0/`; anything else is named in the answer, as Graph does. */
const ROOT_SEGMENTS = new Set(['me', 'users', 'groups', 'organization']);

/**
 * Graph answers an unknown path with 400 `BadRequest` "Resource not found for the segment 'x'."
 * rather than a bare 404; SDK code that checks for it sees the same thing here.
 */
export function graphNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? '';
  const segments = path.split('/').filter((s) => s !== '');
  // segments[0] is "v1.0".
  const first = segments[1];
  const named = first === undefined || !ROOT_SEGMENTS.has(first) ? first : segments.at(-1);
  const segment = safeSegment(named ?? '');
  const error = new GraphError('BadRequest', 400, `Resource not found for the segment '${segment}'.`);
  return sendGraphError(error, request, reply);
}

/** A path segment fit to quote back: decoded when possible, printable, and short. */
function safeSegment(raw: string): string {
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // Keep the raw (still percent-encoded) form.
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed.
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, '');
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}
