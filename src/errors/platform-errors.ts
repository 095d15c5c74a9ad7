import { HumleError } from './humle-error.js';

/** No credentials, or credentials that match no live API key (unknown, malformed or revoked: not told apart). */
export class AuthenticationError extends HumleError {
  readonly code = 'UNAUTHENTICATED';
}

/**
 * The caller is known but may not do this: its key lacks the scope, or its role in the project lacks the right.
 * Raised only where the caller may already see the object (a member of the project), so it reveals nothing.
 */
export class AccessDeniedError extends HumleError {
  readonly code = 'ACCESS_DENIED';
}

export class UserNotFoundError extends HumleError {
  readonly code = 'USER_NOT_FOUND';
}

/** The caller has no API key of that name (a key of another user is not found either). */
export class ApiKeyNotFoundError extends HumleError {
  readonly code = 'API_KEY_NOT_FOUND';
}

export class ApiKeyExistsError extends HumleError {
  readonly code = 'API_KEY_EXISTS';
}

/** The user is not a member of the project (for membership changes by someone who may see the project). */
export class MemberNotFoundError extends HumleError {
  readonly code = 'MEMBER_NOT_FOUND';
}

export class MemberExistsError extends HumleError {
  readonly code = 'MEMBER_EXISTS';
}
