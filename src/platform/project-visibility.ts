import { FileNotFoundError } from '../errors/fs-errors.js';
import type { Principal } from './principal.js';
import { projectOfPath } from './project-sandbox.js';

/**
 * The rule that keeps projects from revealing that they exist: a path inside a project the caller is not a member
 * of is reported missing, exactly as a path in a project that does not exist. Checked on every path a request names
 * before humle fs is asked; humle fs applies the same rule to the caller's view (Principal.fsView: sandboxes without
 * a grant are missing, and left out of listings, counts and summaries), so nothing a request reaches tells either.
 */
export function checkPathVisible(caller: Principal, path: string): void {
  const project = projectOfPath(path);
  if (project !== undefined && caller.roleIn(project) === undefined) {
    throw new FileNotFoundError(`File does not exist: ${path}`, { path });
  }
}
