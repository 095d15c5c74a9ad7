/**
 * The root of every error Humle raises on purpose. Each subclass is one kind of failure with a stable `code`
 * that the edges (CLI exit codes, HTTP status, WebHDFS RemoteException) map once, so callers never parse messages.
 */
export abstract class HumleError extends Error {
  abstract readonly code: string;
  /** True when the same call may succeed if simply tried again (a lock held by a live operation, a deadlock). */
  readonly retriable: boolean = false;
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  toJSON(): { code: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** A caller passed a value the API cannot accept (wrong type, out of range, unknown option). */
export class InvalidArgumentError extends HumleError {
  readonly code = 'INVALID_ARGUMENT';
}

/** The database refused a transaction for a reason that retrying does not fix. */
export class StorageError extends HumleError {
  readonly code = 'STORAGE_ERROR';
}
