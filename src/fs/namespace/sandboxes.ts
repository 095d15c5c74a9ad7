/**
 * What a caller may do in one sandbox: Hopsworks' project, whose rights follow from the caller's membership and role
 * in that project alone, whatever the groups or mode bits of the inodes in it say.
 */
export interface SandboxGrant {
  /** READ | WRITE | EXECUTE bits the caller holds on every inode of the sandbox, in place of the mode bits. */
  access: number;
  /** The caller acts as the owner of every inode of the sandbox (chmod, chgrp, deleting through a sticky bit). */
  controlsAll: boolean;
  /** The sandbox's group: the only group an inode in it may be given (by anyone but the superuser). */
  group: string;
  /**
   * Names of entries directly in the sandbox that only the superuser changes: the caller reads and traverses them
   * and everything below them, and changes nothing there, whatever its access (the project's feature store).
   */
  readOnlyEntries: readonly string[];
}

/**
 * The sandboxes of a caller: the children of `root` are sandboxes; the caller holds the grants of some, and the others
 * do not exist for it (reported missing, left out of listings, counts and summaries), as Hopsworks hides the projects
 * one is not a member of. Plain data (serializable), as it travels to read workers with the caller.
 */
export interface Sandboxes {
  /** The components of the directory whose children are the sandboxes (`/Projects`): parsed once, not per check. */
  root: readonly string[];
  grants: Readonly<Record<string, SandboxGrant>>;
}

/** Where an inode lies as far as sandboxes go. */
export type SandboxZone =
  /** Outside every sandbox (or the sandboxes' root itself): HDFS's mode bits apply. */
  | { kind: 'outside' }
  /** In a sandbox the caller holds no grant for: it does not exist for the caller. */
  | { kind: 'hidden'; sandbox: string }
  /** In one of the caller's sandboxes; `readOnly` below one of its read-only entries (or that entry itself). */
  | { kind: 'granted'; sandbox: string; grant: SandboxGrant; readOnly: boolean };

const OUTSIDE: SandboxZone = { kind: 'outside' };

/** The zone of a path, given as components. */
export function sandboxZone(sandboxes: Sandboxes | undefined, components: readonly string[]): SandboxZone {
  if (sandboxes === undefined) return OUTSIDE;
  const root = sandboxes.root;
  if (components.length <= root.length || !startsWith(components, root)) return OUTSIDE;
  const sandbox = components[root.length]!;
  if (!Object.hasOwn(sandboxes.grants, sandbox)) return { kind: 'hidden', sandbox };
  const grant = sandboxes.grants[sandbox]!;
  const readOnly = components.length > root.length + 1 && grant.readOnlyEntries.includes(components[root.length + 1]!);
  return { kind: 'granted', sandbox, grant, readOnly };
}

/** True when the components are the sandboxes' root itself (`/Projects`), whose children the caller sees filtered. */
export function isSandboxRoot(sandboxes: Sandboxes | undefined, components: readonly string[]): boolean {
  return sandboxes !== undefined && components.length === sandboxes.root.length && startsWith(components, sandboxes.root);
}

/** True when the components are the sandboxes' root or a directory above it (`/`), whose subtree holds every sandbox. */
export function holdsSandboxRoot(sandboxes: Sandboxes | undefined, components: readonly string[]): boolean {
  return sandboxes !== undefined && components.length <= sandboxes.root.length && startsWith(sandboxes.root, components);
}

function startsWith(components: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((name, i) => components[i] === name);
}
