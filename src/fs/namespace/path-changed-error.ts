/**
 * Thrown inside a write unit when the namespace changed between path resolution and locking (a row moved, or a name
 * was taken by a concurrent unit). The unit is rerun from the start, resolving the path afresh; callers never see it.
 */
export class PathChangedError extends Error {}
