import { FileNotFoundError } from '../errors/fs-errors.js';
import type { Principal } from './principal.js';
import { projectOfPath } from './project-sandbox.js';

/**
 * The rule that keeps projects from revealing that they exist: a path inside a project the caller is not a member
 * of is reported missing, exactly as a path in a project that does not exist, before humle fs is even asked (its
 * permission check would answer "access denied", which tells that the directory is there). Members go on to humle
 * fs's own checks.
 */
export function checkPathVisible(caller: Principal, path: string): void {
  const project = projectOfPath(path);
  if (project !== undefined && caller.roleIn(project) === undefined) {
    throw new FileNotFoundError(`File does not exist: ${path}`, { path });
  }
}

/** True for /Projects itself, whose listing shows a caller only the projects it is a member of. */
export function isProjectsRoot(path: string): boolean {
  return path === '/Projects' || path === '/Projects/';
}
