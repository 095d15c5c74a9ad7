import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { RowsJson } from './table-formats.js';

/**
 * Schemas the feature store's route modules share. Each module registers them in its own scope
 * (addFeatureStoreSchemas), so a `$id` means the same object everywhere in the OpenAPI document.
 */

/** Feature group and feature view names, as the SDK takes them (they name tables and directories). */
export const EntityName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: '1 to 63 lowercase letters, digits or _, starting with a letter' });

/** A version in a path: digits, as paths carry text (numbers are never coerced from strings). */
export const VersionText = Type.String({ pattern: '^[1-9][0-9]{0,6}$', description: 'a version, from 1' });

/** A commit id, or a time, in a query parameter: see parsePointInTime. */
export const PointInTimeText = Type.String({ minLength: 1, maxLength: 64, description: 'a commit id (the Delta version: digits) or an ISO-8601 time' });

/** A count in a query parameter: digits, at most 15 (every such number is exact in JavaScript). */
export const CountText = Type.String({ pattern: '^[1-9][0-9]{0,14}$' });

export const Commit = Type.Object(
  {
    commitId: Type.Integer({ description: 'the commit id, which is the Delta table version it made' }),
    committedOn: Type.String({ format: 'date-time' }),
    operation: Type.String({ description: 'upsert, insert, delete, compact or ADD COLUMNS' }),
    rowsInserted: Type.Integer(),
    rowsUpdated: Type.Integer(),
    rowsDeleted: Type.Integer(),
  },
  { $id: 'Commit' },
);

export function addFeatureStoreSchemas(app: FastifyInstance): void {
  app.addSchema(Commit);
  app.addSchema(RowsJson);
}
