import type { Migration } from '../../db/engine.js';
import { column } from '../../db/schema.js';

/** Longest record key (primary key values and event time, encoded) kept in the offline record index. */
export const RECORD_KEY_MAX = 512;

/**
 * The feature store's metadata, in the same database as humle fs so that a commit (Delta log file, data files,
 * online rows, record index, commit row) is one transaction.
 */
export const featureStoreMigrations: Migration[] = [
  {
    version: 1,
    name: 'feature groups',
    tables: [
      {
        // Projects are sandboxes as in Hopsworks: each has one feature store and the fs directory /Projects/<name>.
        name: 'hm_projects',
        columns: [column.bigint('id'), column.name('name', 63), column.name('owner', 255), column.bigint('created_at')],
        primaryKey: ['id'],
        unique: [{ name: 'hm_projects_name', columns: ['name'] }],
        rowKey: 'id',
      },
      {
        name: 'fg_feature_groups',
        columns: [
          column.bigint('id'),
          column.bigint('project_id'),
          column.name('name', 63),
          column.int('version'),
          column.longtext('description'),
          // The features (names, types, descriptions, key roles) as JSON: read whole, changed only by schema evolution.
          // Empty until the first insert when the schema is inferred; the key columns are then known by name only.
          column.longtext('features'),
          column.longtext('primary_key'),
          column.name('event_time', 63, { nullable: true }),
          column.longtext('partition_key'),
          column.int('online_enabled'),
          column.longtext('statistics_config'),
          column.longtext('expectations'),
          column.name('creator', 255),
          column.bigint('created_at'),
          // Newest Delta version committed; -1 before the first commit.
          column.bigint('delta_version', { default: -1 }),
          // Oldest version time travel can still read: vacuum removed the files of the versions before it.
          column.bigint('oldest_version', { default: 0 }),
        ],
        primaryKey: ['id'],
        unique: [{ name: 'fg_feature_groups_name', columns: ['project_id', 'name', 'version'] }],
        foreignKeys: [{ columns: ['project_id'], references: { table: 'hm_projects', columns: ['id'] }, onDelete: 'cascade' }],
        rowKey: 'id',
      },
      {
        name: 'fg_tags',
        columns: [column.bigint('fg_id'), column.name('name', 63), column.longtext('value')],
        primaryKey: ['fg_id', 'name'],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        // One row per Delta version: HSFS's commit details.
        name: 'fg_commits',
        columns: [
          column.bigint('fg_id'),
          column.bigint('version'),
          column.bigint('committed_on'),
          column.name('operation', 32),
          column.bigint('rows_inserted'),
          column.bigint('rows_updated'),
          column.bigint('rows_deleted'),
        ],
        primaryKey: ['fg_id', 'version'],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        // The data files of the offline table and the versions they are live in: [added_version, removed_version).
        // The Delta log says the same; this table answers "files of version v" with one indexed query.
        name: 'fg_data_files',
        columns: [
          column.bigint('id'),
          column.bigint('fg_id'),
          column.name('path', 255),
          column.bigint('block_id'),
          column.bigint('size_bytes'),
          column.bigint('row_count'),
          column.bigint('added_version'),
          column.bigint('removed_version', { nullable: true }),
        ],
        primaryKey: ['id'],
        unique: [{ name: 'fg_data_files_path', columns: ['fg_id', 'path'] }],
        indexes: [{ name: 'fg_data_files_live', columns: ['fg_id', 'removed_version'] }],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
        rowKey: 'id',
      },
      {
        // Record key (primary key + event time) → the live data file holding it: an upsert rewrites only those files.
        name: 'fg_record_index',
        columns: [column.bigint('fg_id'), column.name('record_key', RECORD_KEY_MAX), column.bigint('file_id')],
        primaryKey: ['fg_id', 'record_key'],
        indexes: [{ name: 'fg_record_index_file', columns: ['fg_id', 'file_id'] }],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        // Schema evolution: the features as of each Delta version that changed them.
        name: 'fg_schema_history',
        columns: [column.bigint('fg_id'), column.bigint('version'), column.longtext('features'), column.bigint('changed_at')],
        primaryKey: ['fg_id', 'version'],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
    ],
  },
  {
    version: 2,
    name: 'statistics and validation reports',
    tables: [
      {
        // Statistics of the offline table as of a commit (HSFS Statistics), one JSON document read whole.
        name: 'fg_statistics',
        columns: [column.bigint('fg_id'), column.bigint('commit_id'), column.bigint('computed_at'), column.longtext('content')],
        primaryKey: ['fg_id', 'commit_id'],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        // The validation history (HSFS validation reports): one row per validated batch, ingested or rejected.
        // Ids count per feature group, so the key is (fg_id, id).
        name: 'fg_validation_reports',
        columns: [
          column.bigint('fg_id'),
          column.bigint('id'),
          column.bigint('validated_at'),
          column.int('success'),
          // The commit the batch made; null when it was rejected.
          column.bigint('commit_id', { nullable: true }),
          column.name('ingestion_result', 16),
          column.longtext('report'),
        ],
        primaryKey: ['fg_id', 'id'],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
    ],
  },
  {
    version: 3,
    name: 'partitioned offline tables',
    tables: [
      {
        // A data file's partition values (Delta `partitionValues`: column → serialized value, null for null), as
        // JSON; only files of partitioned tables have a row.
        name: 'fg_file_partitions',
        columns: [column.bigint('fg_id'), column.bigint('file_id'), column.longtext('partition_values')],
        primaryKey: ['fg_id', 'file_id'],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
    ],
    // Before this version a partition key was recorded but the data files were not laid out by it, and the Delta
    // tables declare no partition columns: a group with commits keeps that layout, so its record stops claiming one.
    statements: ["UPDATE fg_feature_groups SET partition_key = '[]' WHERE delta_version >= 0"],
  },
  {
    version: 4,
    name: 'data file successors',
    tables: [
      {
        // A removed data file → the live file its surviving records moved to (see RecordIndex).
        name: 'fg_file_successors',
        columns: [column.bigint('fg_id'), column.bigint('file_id'), column.bigint('successor_id')],
        primaryKey: ['fg_id', 'file_id'],
        indexes: [{ name: 'fg_file_successors_successor', columns: ['fg_id', 'successor_id'] }],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
    ],
  },
  {
    version: 5,
    name: 'feature views',
    tables: [
      {
        // A feature view version (HSFS FeatureView): immutable once created. The query is a JSON plan that names
        // feature groups by id (query-plan.ts), read whole whenever the view is opened.
        name: 'fv_feature_views',
        columns: [
          column.bigint('id'),
          column.bigint('project_id'),
          column.name('name', 63),
          column.int('version'),
          column.longtext('description'),
          column.longtext('query'),
          column.longtext('labels'),
          column.longtext('transformation_functions'),
          column.longtext('inference_helper_columns'),
          column.longtext('training_helper_columns'),
          column.name('creator', 255),
          column.bigint('created_at'),
        ],
        primaryKey: ['id'],
        unique: [{ name: 'fv_feature_views_name', columns: ['project_id', 'name', 'version'] }],
        foreignKeys: [{ columns: ['project_id'], references: { table: 'hm_projects', columns: ['id'] }, onDelete: 'cascade' }],
        rowKey: 'id',
      },
      {
        // The feature groups a view reads. The reference to the group has no cascade: the database itself refuses
        // to delete a feature group that a view reads (the API says which views first).
        name: 'fv_feature_view_groups',
        columns: [column.bigint('fv_id'), column.bigint('fg_id')],
        primaryKey: ['fv_id', 'fg_id'],
        indexes: [{ name: 'fv_feature_view_groups_fg', columns: ['fg_id'] }],
        foreignKeys: [
          { columns: ['fv_id'], references: { table: 'fv_feature_views', columns: ['id'] }, onDelete: 'cascade' },
          { columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] } },
        ],
      },
    ],
  },
  {
    version: 6,
    name: 'transformations and training datasets',
    tables: [
      {
        // A view's on-demand features, in order: each a JSON OnDemandFeatureSpec (a function name and its inputs).
        name: 'fv_on_demand_features',
        columns: [column.bigint('fv_id'), column.int('position'), column.longtext('spec')],
        primaryKey: ['fv_id', 'position'],
        foreignKeys: [{ columns: ['fv_id'], references: { table: 'fv_feature_views', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        // A materialized training dataset of a view (HSFS TrainingDataset): immutable. The query is the view's plan
        // pinned to the commits read (`commits`: feature group id → Delta version), so the record says exactly
        // which data the files hold; the files live under `location` in humle fs. JSON: read options and split,
        // the files' columns and their roles, the transformation statistics of the train split, rows per split,
        // and the files of each split with their blocks (DuckDB reads them in place).
        name: 'fv_training_datasets',
        columns: [
          column.bigint('fv_id'),
          column.int('version'),
          column.longtext('description'),
          column.name('data_format', 16),
          column.longtext('location'),
          column.longtext('query'),
          column.longtext('read_options'),
          column.longtext('split'),
          column.longtext('columns'),
          column.longtext('commits'),
          column.longtext('statistics'),
          column.longtext('row_counts'),
          column.longtext('files'),
          column.name('creator', 255),
          column.bigint('created_at'),
        ],
        primaryKey: ['fv_id', 'version'],
        foreignKeys: [{ columns: ['fv_id'], references: { table: 'fv_feature_views', columns: ['id'] }, onDelete: 'cascade' }],
      },
    ],
  },
  {
    version: 7,
    name: 'data file checksums',
    tables: [
      {
        // The CRC32C of a data file's bytes as the feature store wrote them, recorded by the commit that added it, so
        // fsck (and a failed read) can tell a file changed behind the feature store's back. Kept here, not in the
        // Delta log, because the log is itself a file in humle fs: whoever could damage a data file could rewrite the
        // checksum beside it. Files written before this version have no row and are checked by length only.
        name: 'fg_file_checksums',
        columns: [column.bigint('fg_id'), column.bigint('file_id'), column.bigint('crc32c')],
        primaryKey: ['fg_id', 'file_id'],
        foreignKeys: [{ columns: ['fg_id'], references: { table: 'fg_feature_groups', columns: ['id'] }, onDelete: 'cascade' }],
      },
    ],
  },
];
