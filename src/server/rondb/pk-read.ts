import { Type, type Static } from 'typebox';
import { FeatureGroupNotFoundError } from '../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureGroup } from '../../featurestore/feature-group.js';
import { formatFeatureType } from '../../featurestore/types/feature-type.js';
import type { Humle } from '../../humle.js';
import type { Principal } from '../../platform/principal.js';
import { jsonWriterFor } from './json-values.js';
import {
  COLUMN_NOT_EXIST,
  DB_TABLE_NOT_EXIST,
  INVALID_READ_COLUMNS,
  NOT_FOUND,
  RDRS_WRONG_DATA_TYPE,
  UNAUTHORIZED,
  UNIQUE_FILTER,
  UNIQUE_READ_COLUMN,
  UNSUPPORTED_DATA_RETURN_TYPE,
  WRONG_PRIMARY_KEY_COLUMN,
  WRONG_PRIMARY_KEY_COUNT,
} from './rondb-error.js';

/** RonDB's identifiers: 1 to 64 characters (its validate_db_identifier). */
const Identifier = Type.String({ minLength: 1, maxLength: 64 });

export const PkReadBody = Type.Object({
  filters: Type.Array(Type.Object({ column: Identifier, value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]) }), { minItems: 1 }),
  readColumns: Type.Optional(Type.Array(Type.Object({ column: Identifier, dataReturnType: Type.Optional(Type.String()) }))),
  // RonDB's OperationIDMaxSize default.
  operationId: Type.Optional(Type.String({ maxLength: 256 })),
});
export type PkReadBody = Static<typeof PkReadBody>;

/** A pk-read's answer: its HTTP status and JSON body. */
export interface PkReadResult {
  status: number;
  body: string;
}

/**
 * RonDB's primary-key read (`POST /0.1.0/{db}/{table}/pk-read`) on Humle's online tables: `db` is the project (its
 * online database, as in Hopsworks), `table` the online table `<feature group>_<version>`. The filters must name
 * the whole primary key, once each; `readColumns` (all columns when absent) must not repeat them. A database the
 * caller is not a member of answers 401, as RonDB answers a key without access to it, whether it exists or not.
 */
export async function pkRead(humle: Humle, caller: Principal, db: string, table: string, body: PkReadBody): Promise<PkReadResult> {
  if (caller.roleIn(db) === undefined) throw UNAUTHORIZED.error(`the API key has no access to database ${db}`);
  const group = await onlineGroup(humle, db, table);
  const key = keyOf(group, body);
  const columns = readColumnsOf(group, body);
  let row: Record<string, unknown> | undefined;
  try {
    row = await group.getOnline(key, { exactTimestamps: true });
  } catch (error) {
    if (error instanceof InvalidArgumentError && typeof error.details.feature === 'string') {
      const feature = group.features.find((f) => f.name === error.details.feature)!;
      throw RDRS_WRONG_DATA_TYPE.error(`Wrong data type. Expecting ${formatFeatureType(feature.type)}. Column: ${feature.name}`);
    }
    throw error;
  }
  const operationId = body.operationId === undefined ? '' : `"operationId":${JSON.stringify(body.operationId)},`;
  if (row === undefined) return { status: 404, body: NOT_FOUND.error('Not Found').body };
  const data = columns.map((f) => `${JSON.stringify(f.name)}:${row[f.name] === null ? 'null' : jsonWriterFor(f.type)(row[f.name])}`).join(',');
  return { status: 200, body: `{${operationId}"data":{${data}}}` };
}

async function onlineGroup(humle: Humle, db: string, table: string): Promise<FeatureGroup> {
  const match = /^(.+)_(\d+)$/.exec(table);
  const missing = DB_TABLE_NOT_EXIST.error(`Database/Table does not exist. Database: ${db} Table: ${table}`);
  if (match === null) throw missing;
  try {
    const group = await (await humle.project(db)).featureStore().getFeatureGroup(match[1]!, Number(match[2]));
    if (!group.onlineEnabled) throw missing;
    return group;
  } catch (error) {
    if (error instanceof FeatureGroupNotFoundError || error instanceof InvalidArgumentError) throw missing;
    throw error;
  }
}

/** The filters as the group's key object, in RonDB's order of checks: unique, count, names. */
function keyOf(group: FeatureGroup, body: PkReadBody): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const filter of body.filters) {
    if (Object.hasOwn(key, filter.column)) throw UNIQUE_FILTER.error(`field validation for filter failed on the 'unique' tag: ${filter.column}`);
    key[filter.column] = filter.value;
  }
  if (body.filters.length !== group.primaryKey.length) throw WRONG_PRIMARY_KEY_COUNT.error(`Wrong number of primary-key columns. Expecting: ${group.primaryKey.length}`);
  for (const filter of body.filters) {
    if (!group.primaryKey.includes(filter.column)) throw WRONG_PRIMARY_KEY_COLUMN.error(`Wrong primary-key column. Column: ${filter.column}`);
  }
  return key;
}

function readColumnsOf(group: FeatureGroup, body: PkReadBody): FeatureGroup['features'] {
  if (body.readColumns === undefined) return group.features;
  const seen = new Set<string>();
  return body.readColumns.map((c) => {
    if (body.filters.some((f) => f.column === c.column)) throw INVALID_READ_COLUMNS.error(`field validation for read columns failed. '${c.column}' already included in filter`);
    if (seen.has(c.column)) throw UNIQUE_READ_COLUMN.error(`field validation for 'ReadColumns' failed on the 'unique' tag: ${c.column}`);
    seen.add(c.column);
    if (c.dataReturnType !== undefined && c.dataReturnType !== 'default') throw UNSUPPORTED_DATA_RETURN_TYPE.error(`Data return type is not supported: ${c.dataReturnType}`);
    const feature = group.features.find((f) => f.name === c.column);
    if (feature === undefined) throw COLUMN_NOT_EXIST.error(`Column does not exist. Column: ${c.column}`);
    return feature;
  });
}
