import { Type } from 'typebox';
import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import type { ViewReadOptions } from '../../featurestore/featureview/view-read.js';
import { JsonRows } from '../../featurestore/input/read-feature-data.js';
import { filterOf, groupsOf, type FilterJson } from '../../featurestore/query/query-description.js';

/**
 * The options of a feature view's reads as JSON (training data, batch data, training datasets): times as ISO-8601
 * text or epoch milliseconds, the extra filter as a predicate tree (query-json.ts), a spine as rows of JSON values.
 */

const Time = Type.Union([Type.String(), Type.Integer()], { description: 'ISO-8601 text, or epoch milliseconds' });

export const READ_OPTIONS = {
  startTime: Type.Optional(Time),
  endTime: Type.Optional(Time),
  extraFilter: Type.Optional(Type.Ref('Filter')),
  primaryKey: Type.Optional(Type.Boolean({ description: 'keep the key columns among the features' })),
  eventTime: Type.Optional(Type.Boolean({ description: 'keep the event time columns among the features' })),
};

export const SPINE = {
  spine: Type.Optional(
    Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'rows that replace the left feature group: its primary key, event time, and optionally labels' }),
  ),
};

export const SPLIT_OPTIONS = {
  testSize: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
  validationSize: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
  seed: Type.Optional(Type.Integer({ minimum: 0 })),
  trainStart: Type.Optional(Time),
  trainEnd: Type.Optional(Time),
  validationStart: Type.Optional(Time),
  validationEnd: Type.Optional(Time),
  testStart: Type.Optional(Time),
  testEnd: Type.Optional(Time),
};

export interface ReadOptionsJson {
  startTime?: string | number;
  endTime?: string | number;
  extraFilter?: unknown;
  primaryKey?: boolean;
  eventTime?: boolean;
  spine?: Record<string, unknown>[];
}

/** The SDK's read options of a JSON body: the filter built on the view's feature groups, the spine as JsonRows. */
export async function viewReadOptions(fv: FeatureView, body: ReadOptionsJson): Promise<Omit<ViewReadOptions, 'dataframe' | 'exactTimestamps'>> {
  const { extraFilter, spine, ...rest } = body;
  return {
    ...rest,
    ...(extraFilter === undefined ? {} : { extraFilter: filterOf(extraFilter as FilterJson, await groupsOf(fv.featureStore, fv.query.featureGroups)) }),
    ...(spine === undefined ? {} : { spine: new JsonRows(spine) }),
  };
}
