import { HumleError } from './humle-error.js';

/**
 * A Humle server's answer that no typed error of this SDK stands for: a fault of the server (500 `INTERNAL`), a code
 * this client does not know (a newer server), or an answer that is not Humle's `{ code, message, details }` (a proxy
 * in between). `code` is the server's code, or `HTTP_<status>` when it sent none.
 */
export class ServerError extends HumleError {
  readonly code: string;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message, details);
    this.code = code;
  }
}

/** The server could not be reached (refused, reset, unknown host, a broken connection mid-answer). */
export class ServerUnreachableError extends HumleError {
  readonly code = 'SERVER_UNREACHABLE';
}
