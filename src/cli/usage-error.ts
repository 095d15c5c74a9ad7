import { HumleError } from '../errors/humle-error.js';

/** Arguments the command line itself rejects (a bad mode, a missing option); exit code 2, like a parse error. */
export class UsageError extends HumleError {
  readonly code = 'USAGE';
}
