import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { EntityName } from './featurestore-schemas.js';

/**
 * The schemas of queries and filters as JSON (see featurestore/query/query-description.ts, which builds and
 * describes them): a feature view's query, a query read through the API, a read's extra filter.
 */

const GroupRef = Type.Object({ name: EntityName, version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) }, { additionalProperties: false });
const Names = Type.Array(Type.String(), { minItems: 1 });
const Scalar = Type.Union([Type.Number(), Type.String(), Type.Boolean()], { description: 'in any form an insert takes for the feature’s type (ISO text for times)' });
const point = (description: string) =>
  Type.Union(
    [
      Type.Object({ commit: Type.Integer({ minimum: 0, description: 'a commit id (the Delta version)' }) }, { additionalProperties: false }),
      Type.Object({ time: Type.Union([Type.String(), Type.Integer()], { description: 'ISO-8601, or epoch milliseconds: the newest commit at or before it' }) }, { additionalProperties: false }),
    ],
    { description },
  );
const featureRef = {
  feature: Type.String({ description: 'a feature’s name in its group (without a join prefix)' }),
  featureGroup: Type.Optional(Type.Object({ name: EntityName, version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false, description: 'the group of the feature; needed only when several groups of the query have a feature of that name' })),
};

export const FilterSchema = Type.Union(
  [
    Type.Object({ op: Type.Union(['eq', 'ne', 'lt', 'le', 'gt', 'ge'].map((op) => Type.Literal(op))), ...featureRef, value: Scalar }, { additionalProperties: false }),
    Type.Object({ op: Type.Literal('in'), ...featureRef, values: Type.Array(Scalar, { minItems: 1 }) }, { additionalProperties: false }),
    Type.Object({ op: Type.Literal('like'), ...featureRef, pattern: Type.String({ description: 'SQL LIKE: % any characters, _ one' }) }, { additionalProperties: false }),
    Type.Object({ op: Type.Union([Type.Literal('isNull'), Type.Literal('isNotNull')]), ...featureRef }, { additionalProperties: false }),
    Type.Object({ op: Type.Union([Type.Literal('and'), Type.Literal('or')]), operands: Type.Array(Type.Ref('Filter'), { minItems: 1 }) }, { additionalProperties: false }),
  ],
  { $id: 'Filter', description: 'a predicate tree: comparisons of a feature with a value, combined with and / or' },
);

export const QuerySchema = Type.Object(
  {
    featureGroup: GroupRef,
    features: Type.Optional(Type.Array(Type.String(), { description: 'selected features, in order (default: all)' })),
    except: Type.Optional(Type.Array(Type.String(), { description: 'every feature but these' })),
    joins: Type.Optional(
      Type.Array(
        Type.Object(
          {
            query: Type.Ref('Query'),
            on: Type.Optional(Names),
            leftOn: Type.Optional(Names),
            rightOn: Type.Optional(Names),
            joinType: Type.Optional(Type.Union([Type.Literal('inner'), Type.Literal('left'), Type.Literal('right'), Type.Literal('full')])),
            prefix: Type.Optional(Type.String()),
            ttl: Type.Optional(Type.Integer({ minimum: 1, description: 'point-in-time joins: a right row older than the left row’s event time by more than this many milliseconds is no match' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    filter: Type.Optional(Type.Ref('Filter')),
    asOf: Type.Optional(point('the snapshot of this query’s feature group that is read (the latest when absent)')),
    excludeUntil: Type.Optional(point('the outer query only: read what the commits after this point wrote, up to asOf (pullChanges)')),
    limit: Type.Optional(Type.Integer({ minimum: 0, description: 'the outer query only: at most this many rows' })),
  },
  { $id: 'Query', additionalProperties: false, description: 'a selection of one feature group’s features, joined (point in time when both sides have event times) and filtered' },
);

export function addQuerySchemas(app: FastifyInstance): void {
  app.addSchema(FilterSchema);
  app.addSchema(QuerySchema);
}
