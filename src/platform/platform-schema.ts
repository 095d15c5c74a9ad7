import type { Migration } from '../db/engine.js';
import { column } from '../db/schema.js';

/**
 * The platform's own tables (component `platform`, so its versions never collide with the file system's or the
 * feature store's): users, their API keys, and who belongs to which project in which role. Projects themselves are
 * the feature store's `hm_projects` rows; memberships reference them and go with them.
 */
export const platformMigrations: Migration[] = [
  {
    version: 1,
    name: 'users, api keys, project members',
    tables: [
      {
        name: 'hm_users',
        columns: [column.name('name', 64), column.bigint('created_at')],
        primaryKey: ['name'],
      },
      {
        // As Hopsworks keeps API keys: a public prefix to find the row, and only a hash of the secret part.
        name: 'hm_api_keys',
        columns: [
          column.name('prefix', 32),
          column.bytes('secret_hash', 32),
          column.name('user_name', 64),
          column.name('name', 64),
          // Scopes, comma-separated (a short closed list, read whole with the key).
          column.text('scopes', 255),
          column.bigint('created_at'),
        ],
        primaryKey: ['prefix'],
        unique: [{ name: 'hm_api_keys_user_name', columns: ['user_name', 'name'] }],
        foreignKeys: [{ columns: ['user_name'], references: { table: 'hm_users', columns: ['name'] }, onDelete: 'cascade' }],
      },
      {
        name: 'hm_project_members',
        columns: [column.bigint('project_id'), column.name('user_name', 64), column.name('role', 32), column.bigint('added_at')],
        primaryKey: ['project_id', 'user_name'],
        indexes: [{ name: 'hm_project_members_user', columns: ['user_name'] }],
        foreignKeys: [
          { columns: ['project_id'], references: { table: 'hm_projects', columns: ['id'] }, onDelete: 'cascade' },
          { columns: ['user_name'], references: { table: 'hm_users', columns: ['name'] }, onDelete: 'cascade' },
        ],
      },
    ],
  },
  {
    version: 2,
    name: 'access generation',
    tables: [
      {
        // One row (id 1): see access-generation.ts.
        name: 'hm_access_generation',
        columns: [column.int('id'), column.bigint('generation')],
        primaryKey: ['id'],
      },
    ],
    // Safe to repeat (a MySQL migration cut short after its DDL runs again): no process reads the row before this ends.
    statements: ['DELETE FROM hm_access_generation', 'INSERT INTO hm_access_generation (id, generation) VALUES (1, 0)'],
  },
];
