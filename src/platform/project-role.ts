import { InvalidArgumentError } from '../errors/humle-error.js';
import { EXECUTE, READ, WRITE } from '../fs/namespace/permissions.js';

/**
 * Hopsworks's project roles: the owner (who created the project; cannot be removed), data owners (read and write
 * everything in the project, manage members) and data scientists (read; they will create feature views and training
 * datasets through the feature store, not write files).
 */
export const PROJECT_ROLES = ['owner', 'data_owner', 'data_scientist'] as const;

export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** Roles that can be given to a member; `owner` belongs to the creator alone. */
export const ASSIGNABLE_ROLES = ['data_owner', 'data_scientist'] as const;

export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

export function checkAssignableRole(value: unknown): AssignableRole {
  if (typeof value !== 'string' || !(ASSIGNABLE_ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`role must be one of ${ASSIGNABLE_ROLES.join(', ')}`, { role: String(value).slice(0, 40) });
  }
  return value as AssignableRole;
}

/**
 * Quotas belong to Hopsworks's platform administrator. Humle's administrator is whoever runs the data directory
 * (humle fs's superuser, through the SDK or the CLI); over the API, the project's owner is the one member who may
 * set them, so a data owner cannot lift the limit the owner accepted.
 */
export function maySetQuota(role: ProjectRole): boolean {
  return role === 'owner';
}

/** The humle fs access the role grants on everything in the project's directory (see projectGrant). */
export function fsAccessOf(role: ProjectRole): number {
  return role === 'data_scientist' ? READ | EXECUTE : READ | WRITE | EXECUTE;
}

/**
 * Whether the role keeps control of every file of the project, whoever made it and whatever its mode: the owner,
 * who must never be locked out of its own project by a member's chmod.
 */
export function controlsProjectFiles(role: ProjectRole): boolean {
  return role === 'owner';
}

export function mayManageMembers(role: ProjectRole): boolean {
  return role !== 'data_scientist';
}

/**
 * What a member does in the project's feature store, as Hopsworks's roles allow: every member reads; creating feature
 * views and training datasets is open to data scientists too; writing feature groups (create, insert, delete) and
 * deleting views or datasets is for owners and data owners.
 */
export type FeatureStoreAction = 'read' | 'createViews' | 'write';

export function mayInFeatureStore(role: ProjectRole, action: FeatureStoreAction): boolean {
  return action !== 'write' || role !== 'data_scientist';
}
