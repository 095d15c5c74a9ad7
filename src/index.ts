export { FileSystem } from './fs/file-system.js';
export type { FileSystemOptions, CreateOptions, ListOptions, DirectoryListing, QuotaSetting } from './fs/file-system.js';
export type { FileStatus, ContentSummary, StorageTier } from './fs/file-status.js';
export type { StoragePolicy } from './fs/content/storage-policy.js';
export { DEFAULT_STORAGE_POLICY } from './fs/content/storage-policy.js';
export type { FileWriter } from './fs/content/file-writer.js';
export type { FsTransaction } from './fs/fs-transaction.js';
export type { BlockRef } from './fs/content/content-store.js';
export type { FsckReport, FsckOptions } from './fs/fsck.js';
export type { BlockStore, BlockSink } from './fs/blocks/block-store.js';
export { LocalBlockStore } from './fs/blocks/local-block-store.js';
export type { Engine, Transaction, Migration } from './db/engine.js';
export { openEngine, engineConfigFromUrl, type EngineConfig } from './db/open-engine.js';
export { HumleError, InvalidArgumentError, StorageError } from './errors/humle-error.js';
export * from './errors/fs-errors.js';
export * from './errors/featurestore-errors.js';
export { Humle, type HumleOptions } from './humle.js';
export type { ConnectOptions } from './remote/remote-humle.js';
export type { HumleConnection, ApiKey, NewApiKey } from './sdk/humle-connection.js';
export type { Project, ProjectMember } from './sdk/project.js';
export type { ProjectRecord } from './featurestore/project/project.js';
export type { FeatureStore } from './sdk/feature-store.js';
export type {
  FeatureGroup,
  CommitDetails,
  CommitStatistics,
  InsertOptions,
  PointInTime,
  ReadOptions as FeatureGroupReadOptions,
} from './sdk/feature-group.js';
export type { ProjectUsage, FeatureGroupUsage, OnlineUsage, OfflineUsage, ProjectFsUsage } from './featurestore/project/project-usage.js';
export type { ProjectQuota, ProjectQuotaSetting } from './featurestore/project/project-quota.js';
export type { FeatureGroupSpec } from './featurestore/feature-group-spec.js';
export { JsonRows, type FeatureData } from './featurestore/input/read-feature-data.js';
export type { Query, JoinOptions, QueryReadOptions } from './featurestore/query/query.js';
export type { Filter } from './featurestore/query/filter.js';
export type { QueryFeature } from './featurestore/query/query-feature.js';
export type { QueryPlan, JoinType, FeatureGroupRef } from './featurestore/query/query-plan.js';
export type {
  FeatureView,
  FeatureViewFeature,
  TrainingData,
  TrainingDataOptions,
  BatchDataOptions,
  TrainTestSplitOptions,
  TrainValidationTestSplitOptions,
  TrainingDatasetReadOptions,
} from './sdk/feature-view.js';
export type { TransformerOptions } from './featurestore/featureview/feature-view.js';
export type { FeatureTransformer } from './featurestore/transformation/feature-transformer.js';
export type { OnDemandFeatureSpec } from './featurestore/transformation/on-demand-feature.js';
export type { UserTransformationFunction, TransformationFunctionOptions } from './featurestore/transformation/transformation-function.js';
export type { FeatureStatisticsValues, TransformationStatistics, StatisticKind } from './featurestore/transformation/transformation-statistics.js';
export type { CreateTrainingDataOptions, TrainingDatasetInfo } from './featurestore/trainingdataset/training-datasets.js';
export type { TrainingDatasetFormat } from './featurestore/trainingdataset/training-dataset-records.js';
export type { FeatureViewSpec } from './featurestore/featureview/feature-view-spec.js';
export type { TransformationFunctionSpec } from './featurestore/featureview/feature-view-records.js';
export type { ViewReadOptions } from './featurestore/featureview/view-read.js';
export type { TimeLike } from './featurestore/featureview/data-split.js';
export type { Feature } from './featurestore/schema/feature.js';
export type { FeatureType } from './featurestore/types/feature-type.js';
export * from './errors/project-errors.js';
export * from './errors/platform-errors.js';
export * from './errors/request-errors.js';
export * from './errors/server-errors.js';
export type { ServingOptions } from './featurestore/serving/init-serving.js';
export type {
  FeatureVectorOptions,
  FeatureVectorsOptions,
  VectorReadOptions,
  VectorReturnType,
  VectorOf,
  VectorStatus,
  VectorWithStatus,
} from './featurestore/serving/vector-server.js';
export type { VectorTransform } from './featurestore/serving/vector-transform.js';
