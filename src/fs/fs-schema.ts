import type { Migration } from '../db/engine.js';
import { column } from '../db/schema.js';

/** Bytes a file may keep in its inode row (HopsFS's in-memory tier). */
export const INLINE_DATA_MAX = 1024;
/** Largest extended attribute value, as HopsFS allows on NDB. */
export const XATTR_VALUE_MAX = 13_500;

/** The humle fs schema, modelled on HopsFS's (hops-metadata-dal): one row per inode, keyed for locality. */
export const fsMigrations: Migration[] = [
  {
    version: 1,
    name: 'namespace',
    tables: [
      {
        name: 'fs_inodes',
        columns: [
          column.bigint('partition_id'),
          column.bigint('parent_id'),
          column.name('name', 255),
          column.bigint('id'),
          column.int('is_dir'),
          column.int('permission'),
          column.name('owner', 255),
          column.name('grp', 255),
          column.bigint('mtime'),
          column.bigint('atime'),
          column.bigint('size', { default: 0 }),
          column.int('replication', { default: 1 }),
          column.bigint('block_size', { default: 0 }),
          column.int('storage_policy', { default: 0 }),
          column.int('children', { default: 0 }),
          column.int('under_construction', { default: 0 }),
          column.text('lease_holder', 255, { nullable: true }),
          column.int('file_store', { default: 0 }),
          column.bytes('inline_data', INLINE_DATA_MAX, { nullable: true }),
          column.text('subtree_lock', 64, { nullable: true }),
          column.int('has_quota', { default: 0 }),
        ],
        primaryKey: ['partition_id', 'parent_id', 'name'],
        // (parent_id, name) is unique too (partition_id follows from them); its index lists the root's children,
        // which are spread over partitions, and walks subtrees by parent.
        unique: [
          { name: 'fs_inodes_id', columns: ['id'] },
          { name: 'fs_inodes_parent', columns: ['parent_id', 'name'] },
        ],
        rowKey: 'id',
        partitionBy: ['partition_id'],
      },
      {
        name: 'fs_small_files',
        columns: [column.bigint('inode_id'), column.int('chunk_index'), column.chunk('data')],
        primaryKey: ['inode_id', 'chunk_index'],
        foreignKeys: [{ columns: ['inode_id'], references: { table: 'fs_inodes', columns: ['id'] }, onDelete: 'cascade' }],
        partitionBy: ['inode_id'],
      },
      {
        name: 'fs_blocks',
        columns: [
          column.bigint('inode_id'),
          column.int('block_index'),
          column.bigint('block_id'),
          column.bigint('length'),
          column.bigint('checksum'),
        ],
        primaryKey: ['inode_id', 'block_index'],
        unique: [{ name: 'fs_blocks_block_id', columns: ['block_id'] }],
        foreignKeys: [{ columns: ['inode_id'], references: { table: 'fs_inodes', columns: ['id'] }, onDelete: 'cascade' }],
        partitionBy: ['inode_id'],
      },
      {
        name: 'fs_leases',
        columns: [column.bigint('inode_id'), column.text('holder', 255), column.bigint('renewed_at')],
        primaryKey: ['inode_id'],
        indexes: [{ name: 'fs_leases_holder', columns: ['holder'] }],
        foreignKeys: [{ columns: ['inode_id'], references: { table: 'fs_inodes', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        name: 'fs_quotas',
        columns: [
          column.bigint('inode_id'),
          column.bigint('ns_quota'),
          column.bigint('ds_quota'),
          column.bigint('ns_used'),
          column.bigint('ds_used'),
        ],
        primaryKey: ['inode_id'],
        foreignKeys: [{ columns: ['inode_id'], references: { table: 'fs_inodes', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        name: 'fs_xattrs',
        columns: [column.bigint('inode_id'), column.int('namespace'), column.name('name', 255), column.blob('value', XATTR_VALUE_MAX)],
        primaryKey: ['inode_id', 'namespace', 'name'],
        foreignKeys: [{ columns: ['inode_id'], references: { table: 'fs_inodes', columns: ['id'] }, onDelete: 'cascade' }],
        partitionBy: ['inode_id'],
      },
      {
        name: 'fs_storage_policies',
        columns: [column.bigint('inode_id'), column.int('inline_max'), column.int('small_max'), column.bigint('block_size')],
        primaryKey: ['inode_id'],
        foreignKeys: [{ columns: ['inode_id'], references: { table: 'fs_inodes', columns: ['id'] }, onDelete: 'cascade' }],
      },
      {
        // A large delete or rename in progress: its subtree root carries `subtree_lock` = id until it finishes.
        name: 'fs_subtree_operations',
        columns: [
          column.name('id', 64),
          column.bigint('root_id'),
          column.text('kind', 16),
          column.longtext('path'),
          column.bigint('heartbeat_at'),
        ],
        primaryKey: ['id'],
      },
      {
        name: 'fs_id_counters',
        columns: [column.name('name', 32), column.bigint('next_value')],
        primaryKey: ['name'],
      },
    ],
  },
];
