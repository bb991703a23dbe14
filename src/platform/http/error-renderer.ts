/**
 * The one renderer for errors on the native API: `{"error":{"code","message","requestId","details"?}}`.
 * Clients never see stacks, SQL or library messages; unknown errors become `internal_error` and are
 * logged in full on the server side only. Protocol surfaces with their own envelopes (OAuth, Graph,
 * Bot Framework) render through their own functions but start from the same AppError.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  internalError,
  notFound,
  payloadTooLarge,
  type ErrorCode,
  type FieldProblem,
} from '../errors/app-error.ts';

export interface ErrorEnvelope {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly requestId: string;
    readonly details?: readonly FieldProblem[];
  };
}

const STATUS_CODES: Readonly<Record<number, [ErrorCode, string]>> = {
  400: ['bad_request', 'The request is malformed.'],
  401: ['unauthenticated', 'Authentication is required.'],
  403: ['forbidden', 'You do not have permission to do this.'],
  404: ['not_found', 'The resource does not exist.'],
  405: ['method_not_allowed', 'The method is not allowed on this resource.'],
  408: ['request_timeout', 'The request took too long to arrive.'],
  413: ['payload_too_large', 'The request body is too large.'],
  415: ['unsupported_media_type', 'The request body has an unsupported content type.'],
  429: ['rate_limited', 'Too many requests. Try again later.'],
  503: ['service_unavailable', 'The service is not available right now.'],
};

/** Turns anything thrown into an AppError that is safe to show. */
export function toAppError(error: unknown, bodyLimitBytes: number): AppError {
  if (error instanceof AppError) return error;
  const e = error as Partial<FastifyError> & {
    validation?: { instancePath: string; message?: string }[];
    validationContext?: string;
  };
  if (Array.isArray(e.validation)) {
    const part = e.validationContext ?? 'body';
    const details = e.validation.map((v) => ({
      path: `/${part}${v.instancePath}`,
      message: v.message ?? 'is invalid',
    }));
    return new AppError('invalid_request', 400, 'The request does not match the schema.', { details });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(bodyLimitBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 415, 'The request body has an unsupported content type.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 400, 'The request body is empty but the content type says JSON.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', 400, 'The request body is not valid JSON.');
    default:
      break;
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    // SyntaxError from the JSON parser, prototype-poisoning rejections and other client faults.
    const [code, message] = STATUS_CODES[status] ?? ['bad_request', 'The request is malformed.'];
    return new AppError(code, status, message);
  }
  return internalError();
}

export function envelope(error: AppError, requestId: string): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/** Fastify error handler: log server faults, send the safe envelope. */
export function errorHandler(bodyLimitBytes: number) {
  return function handleError(
    this: unknown,
    error: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply {
    const appError = toAppError(error, bodyLimitBytes);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    return reply
      .code(appError.status)
      .headers(appError.headers)
      .type('application/json; charset=utf-8')
      .send(envelope(appError, request.id));
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const err = notFound(`No route for ${request.method} ${request.url.split('?')[0] ?? ''}.`);
  return reply.code(404).type('application/json; charset=utf-8').send(envelope(err, request.id));
}
