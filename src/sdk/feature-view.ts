import type { Table } from 'apache-arrow';
import type { RandomSplitOptions, TimeLike, TimeSplitOptions } from '../featurestore/featureview/data-split.js';
import type { TransformationFunctionSpec } from '../featurestore/featureview/feature-view-records.js';
import type { ViewReadOptions } from '../featurestore/featureview/view-read.js';
import type { Query } from '../featurestore/query/query.js';
import type { FeatureGroupRef } from '../featurestore/query/query-plan.js';
import type { RowPresentation } from '../featurestore/records/row-presentation.js';
import type { ServingOptions } from '../featurestore/serving/init-serving.js';
import type {
  FeatureVectorOptions,
  FeatureVectorsOptions,
  VectorOf,
  VectorReadOptions,
  VectorReturnType,
  VectorWithStatus,
} from '../featurestore/serving/vector-server.js';
import type { CreateTrainingDataOptions, TrainingDatasetInfo } from '../featurestore/trainingdataset/training-datasets.js';
import type { OnDemandFeatureSpec } from '../featurestore/transformation/on-demand-feature.js';
import type { FeatureType } from '../featurestore/types/feature-type.js';

export interface TrainingDataOptions extends ViewReadOptions {
  /** Also return the training helper columns among the features (default false). */
  trainingHelperColumns?: boolean;
}

export interface BatchDataOptions extends ViewReadOptions {
  /** Also return the inference helper columns among the features (default false). */
  inferenceHelperColumns?: boolean;
  /** The training dataset whose statistics the transformations use (HSFS `init_batch_scoring`); default the newest. */
  trainingDatasetVersion?: number;
}

/** What reading a materialized training dataset back takes. */
export interface TrainingDatasetReadOptions extends RowPresentation {
  dataframe?: 'rows' | 'arrow';
}

/** Training data in memory (HSFS X and y): the feature columns and, in the same row order, the label columns. */
export interface TrainingData<T> {
  features: T;
  /** Null when the view has no labels. */
  labels: T | null;
}

export type Rows = Record<string, unknown>[];

export type TrainTestSplitOptions = TrainingDataOptions & (RandomSplitOptions | TimeSplitOptions);
export type TrainValidationTestSplitOptions = TrainingDataOptions &
  (
    | (RandomSplitOptions & { validationSize: number })
    | (TimeSplitOptions & { validationStart?: TimeLike; validationEnd?: TimeLike })
  );

/** A column of a view, with what it is to the view. */
export interface FeatureViewFeature {
  name: string;
  type: FeatureType;
  featureGroup: FeatureGroupRef;
  primary: boolean;
  eventTime: boolean;
  label: boolean;
  inferenceHelperColumn: boolean;
  trainingHelperColumn: boolean;
}

/**
 * A feature view version (HSFS `FeatureView`), embedded or on a server: a named, immutable query over feature groups
 * with its labels. It gives training data (point-in-time correct, optionally over a spine, split at random or by
 * time), batch data for scoring, materialized training datasets, and feature vectors from the online store.
 */
export interface FeatureView {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly labels: readonly string[];
  readonly transformationFunctions: readonly TransformationFunctionSpec[];
  readonly onDemandFeatures: readonly OnDemandFeatureSpec[];
  readonly inferenceHelperColumns: readonly string[];
  readonly trainingHelperColumns: readonly string[];
  readonly creator: string;
  readonly createdAt: Date;
  /** The view's query. */
  readonly query: Query;
  /** Every column of the view's query, labels and helper columns included, in order. */
  readonly features: FeatureViewFeature[];

  /** Training data in memory (HSFS `training_data`), in event time order. */
  trainingData(options: TrainingDataOptions & { dataframe: 'arrow' }): Promise<TrainingData<Table>>;
  trainingData(options?: TrainingDataOptions & { dataframe?: 'rows' }): Promise<TrainingData<Rows>>;
  /** Training data split in two (HSFS `train_test_split`): at random with `testSize` (and `seed`), or by event time. */
  trainTestSplit(options: TrainTestSplitOptions & { dataframe: 'arrow' }): Promise<{ train: TrainingData<Table>; test: TrainingData<Table> }>;
  trainTestSplit(options: TrainTestSplitOptions & { dataframe?: 'rows' }): Promise<{ train: TrainingData<Rows>; test: TrainingData<Rows> }>;
  /** Training data split in three (HSFS `train_validation_test_split`). */
  trainValidationTestSplit(
    options: TrainValidationTestSplitOptions & { dataframe: 'arrow' },
  ): Promise<{ train: TrainingData<Table>; validation: TrainingData<Table>; test: TrainingData<Table> }>;
  trainValidationTestSplit(
    options: TrainValidationTestSplitOptions & { dataframe?: 'rows' },
  ): Promise<{ train: TrainingData<Rows>; validation: TrainingData<Rows>; test: TrainingData<Rows> }>;
  /** Features for batch scoring (HSFS `get_batch_data`): no labels. */
  getBatchData(options: BatchDataOptions & { dataframe: 'arrow' }): Promise<Table>;
  getBatchData(options?: BatchDataOptions & { dataframe?: 'rows' }): Promise<Rows>;

  /** Materializes a training dataset (HSFS `create_training_data` and its split forms). */
  createTrainingData(options?: CreateTrainingDataOptions): Promise<TrainingDatasetInfo>;
  /** A training dataset's rows exactly as created, transformed with its statistics (HSFS `get_training_data`). */
  getTrainingData(version: number, options: TrainingDatasetReadOptions & { dataframe: 'arrow' }): Promise<TrainingData<Table>>;
  getTrainingData(version: number, options?: TrainingDatasetReadOptions & { dataframe?: 'rows' }): Promise<TrainingData<Rows>>;
  /** A training dataset made with a train/test split (HSFS `get_train_test_split`). */
  getTrainTestSplit(version: number, options?: TrainingDatasetReadOptions): Promise<{ train: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }>;
  /** A training dataset made with a train/validation/test split. */
  getTrainValidationTestSplit(
    version: number,
    options?: TrainingDatasetReadOptions,
  ): Promise<{ train: TrainingData<Rows | Table>; validation: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }>;
  /** The view's training datasets, by version. */
  getTrainingDatasets(): Promise<TrainingDatasetInfo[]>;
  /** Deletes a training dataset version: its record and its files. */
  deleteTrainingDataset(version: number): Promise<void>;

  /** Prepares serving (HSFS `init_serving`): the training dataset whose statistics transformations use. */
  initServing(options?: ServingOptions): Promise<void>;
  /** The feature vector of an entry of serving keys (HSFS `get_feature_vector`), without labels. */
  getFeatureVector<R extends VectorReturnType = 'list'>(entry: Record<string, unknown>, options?: FeatureVectorOptions<R>): Promise<VectorOf<R>>;
  /** Feature vectors of many entries, in their order (HSFS `get_feature_vectors`). */
  getFeatureVectors<R extends VectorReturnType = 'list'>(entries: readonly Record<string, unknown>[], options?: FeatureVectorsOptions<R>): Promise<VectorOf<R>[]>;
  /** As getFeatureVector, with the status: MISSING when a feature group had no row (with allowMissing). */
  getFeatureVectorWithStatus<R extends VectorReturnType = 'list'>(entry: Record<string, unknown>, options?: FeatureVectorOptions<R>): Promise<VectorWithStatus<R>>;
  getFeatureVectorsWithStatus<R extends VectorReturnType = 'list'>(
    entries: readonly Record<string, unknown>[],
    options?: FeatureVectorsOptions<R>,
  ): Promise<VectorWithStatus<R>[]>;
  /** The inference helper columns of an entry (HSFS `get_inference_helper`), an object by default. */
  getInferenceHelper<R extends VectorReturnType = 'object'>(entry: Record<string, unknown>, options?: VectorReadOptions<R>): Promise<VectorOf<R>>;
  getInferenceHelpers<R extends VectorReturnType = 'object'>(entries: readonly Record<string, unknown>[], options?: VectorReadOptions<R>): Promise<VectorOf<R>[]>;

  /** Deletes the view version and its training datasets; its feature groups stay. */
  delete(): Promise<void>;
  toJSON(): Record<string, unknown>;
}
