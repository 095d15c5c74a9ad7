import { AccessDeniedError } from '../errors/platform-errors.js';
import type { FileSystem } from '../fs/file-system.js';
import type { ApiKeyScope } from './api-key-scopes.js';
import type { Membership } from './project-members.js';
import type { ProjectRole } from './project-role.js';
import { fsIdentityOf } from './project-sandbox.js';

/** An authenticated caller: the user, what its key allows, and its project roles as they were when it authenticated. */
export class Principal {
  private readonly roles: ReadonlyMap<string, ProjectRole>;

  constructor(
    readonly user: string,
    readonly scopes: ReadonlySet<ApiKeyScope>,
    readonly memberships: readonly Membership[],
    /** The name of the key used; undefined when the server trusted `user.name` (--insecure). */
    readonly keyName: string | undefined,
  ) {
    this.roles = new Map(memberships.map((m) => [m.project, m.role]));
  }

  hasScope(scope: ApiKeyScope): boolean {
    return this.scopes.has(scope);
  }

  requireScope(scope: ApiKeyScope): void {
    if (!this.scopes.has(scope)) throw new AccessDeniedError(`this API key lacks the ${scope} scope`, { scope });
  }

  /** The role in a project; undefined when not a member (or the project does not exist: the same thing to a caller). */
  roleIn(project: string): ProjectRole | undefined {
    return this.roles.get(project);
  }

  /** humle fs as this user, with the groups of its projects and what its roles allow in them (fsIdentityOf). */
  fsView(fs: FileSystem): FileSystem {
    const identity = fsIdentityOf(this.user, this.memberships);
    return fs.as(identity.user, [...identity.groups], identity.sandboxes);
  }
}
