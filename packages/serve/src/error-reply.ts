/**
 * One shape for every refused request, `{statusCode, error, message, limit?}`,
 * with messages that say what is wrong: Fastify's own errors (body not JSON,
 * too large, schema) are reworded here; the handler's are {@link RequestError}s.
 */
import type { FastifyError } from 'fastify';
import { RequestError, type LimitExceeded } from './request-error.js';

export interface ErrorReply {
  statusCode: number;
  /** The HTTP reason phrase (`Bad Request`, `Payload Too Large`, ...). */
  error: string;
  message: string;
  /** The limit a 413 went over. */
  limit?: LimitExceeded | { name: string; max: number };
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What the error reply says of the request: its `content-length` and `content-type` headers. */
export interface RequestHeaders {
  contentLength?: number;
  contentType?: string;
}

/** The reply to `error`, for a request with these headers, under a body limit of `bodyLimitBytes`. */
export function errorReply(error: Error, bodyLimitBytes: number, { contentLength, contentType }: RequestHeaders = {}): ErrorReply {
  const reply = (statusCode: number, message: string, limit?: ErrorReply['limit']): ErrorReply => ({ statusCode, error: REASONS[statusCode] ?? 'Error', message, ...(limit ? { limit } : {}) });
  if (error instanceof RequestError) return reply(error.statusCode, error.message, error.limit);
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const size = contentLength === undefined ? 'the body is larger than' : `the body has ${contentLength} bytes, more than`;
    const limit = contentLength === undefined ? { name: 'bodyLimitBytes', max: bodyLimitBytes } : { name: 'bodyLimitBytes', value: contentLength, max: bodyLimitBytes };
    return reply(413, `${size} the limit of ${bodyLimitBytes} bytes per request (bodyLimitBytes)`, limit);
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply(415, `the body must be JSON (content-type: application/json), not ${contentType ?? 'of an unknown content-type'}`);
  }
  if (fastifyError.validation) return reply(400, `invalid request: ${fastifyError.message}`);
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
    return reply(400, `the body is not valid JSON: ${fastifyError.message}`);
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return reply(status, fastifyError.message);
  return reply(500, `prediction failed: ${error.message}`);
}
