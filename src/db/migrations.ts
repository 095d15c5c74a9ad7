import type { Dialect } from './dialect.js';
import type { Migration, Transaction } from './engine.js';
import { column, type TableDefinition } from './schema.js';

/** One row per component (fs, featurestore, ...): the newest migration version applied to this database. */
export const schemaVersionsTable: TableDefinition = {
  name: 'humle_schema_versions',
  columns: [column.name('component', 64), column.int('version'), column.bigint('applied_at')],
  primaryKey: ['component'],
};

/**
 * Applies, in version order, the migrations of `component` newer than the recorded version. Table DDL is written
 * `IF NOT EXISTS`, so an engine whose DDL is not transactional (MySQL) can rerun a migration cut short by a crash.
 */
export async function applyMigrations(
  tx: Transaction,
  dialect: Dialect,
  component: string,
  migrations: readonly Migration[],
): Promise<void> {
  for (const statement of dialect.createTable(schemaVersionsTable)) await tx.run(statement);
  const row = await tx.get<{ version: number }>(
    `SELECT version FROM humle_schema_versions WHERE component = ?${dialect.forUpdate}`,
    [component],
  );
  let current = row?.version ?? 0;
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  for (const migration of pending) {
    for (const table of migration.tables) {
      for (const statement of dialect.createTable(table)) await tx.run(statement);
    }
    for (const statement of migration.statements ?? []) await tx.run(statement);
    current = migration.version;
    await tx.run(dialect.upsert('humle_schema_versions', ['component', 'version', 'applied_at'], ['component'], ['version', 'applied_at']), [
      component,
      current,
      Date.now(),
    ]);
  }
}
