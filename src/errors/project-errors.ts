import { HumleError } from './humle-error.js';

/** No such project, or the caller may not see it (the two are not told apart: existence is not revealed). */
export class ProjectNotFoundError extends HumleError {
  readonly code = 'PROJECT_NOT_FOUND';
}

export class ProjectExistsError extends HumleError {
  readonly code = 'PROJECT_EXISTS';
}
