import { HumleError } from '../errors/humle-error.js';
import { MalformedJsonError, PayloadTooLargeError, RequestValidationError, UnsupportedMediaTypeError } from '../errors/request-errors.js';
import { withoutServerPaths } from './server-paths.js';

interface FastifyFailure {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  validation?: { instancePath: string; message?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

/**
 * The typed error a failed request stands for: Humle's own errors as they are, and the failures Fastify reports
 * about the request's form (schema, JSON, size, media type) as request errors. Undefined for anything else: a fault
 * of the server, which is answered 500 without its message. Every error answer of the server (REST, WebHDFS,
 * RonDB) comes from here, so this is where server paths leave its messages (server-paths.ts).
 */
export function typedFailureOf(error: unknown): HumleError | undefined {
  const typed = typedFormOf(error);
  return typed === undefined ? undefined : withoutServerPaths(typed);
}

function typedFormOf(error: unknown): HumleError | undefined {
  if (error instanceof HumleError) return error;
  const failure = (error ?? {}) as FastifyFailure;
  switch (failure.code) {
    case 'FST_ERR_VALIDATION': {
      const where = failure.validationContext ?? 'request';
      const errors = (failure.validation ?? []).map((v) => ({ path: `${where}${v.instancePath}`, message: v.message ?? 'invalid', ...v.params }));
      return new RequestValidationError(`${where} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
    }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new MalformedJsonError(String(failure.message));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError('request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError('unsupported content type: requests are application/json; feature group inserts also take CSV, NDJSON, Parquet and Arrow IPC');
  }
  // Other failures of the request's form (a bad Content-Length, JSON a parser refused) carry a 4xx status.
  const status = typeof failure.statusCode === 'number' ? failure.statusCode : 500;
  if (status >= 400 && status < 500) return new RequestValidationError(String(failure.message), { cause: String(failure.code ?? 'request') });
  return undefined;
}
