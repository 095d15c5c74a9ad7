import { HumleError } from './humle-error.js';

/**
 * Errors of an HTTP request itself, before it reaches Humle: its body or form is wrong. `details` say what (the
 * schema violations, the limit that was passed).
 */
export class RequestValidationError extends HumleError {
  readonly code = 'INVALID_REQUEST';
}

export class MalformedJsonError extends HumleError {
  readonly code = 'MALFORMED_JSON';
}

export class PayloadTooLargeError extends HumleError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends HumleError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** None of the media types the request accepts (`Accept`, `?format=`) is one the route can answer in. */
export class NotAcceptableError extends HumleError {
  readonly code = 'NOT_ACCEPTABLE';
}

export class RouteNotFoundError extends HumleError {
  readonly code = 'ROUTE_NOT_FOUND';
}
