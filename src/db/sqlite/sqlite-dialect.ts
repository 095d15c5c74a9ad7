import type { Dialect } from '../dialect.js';
import type { ColumnDefinition, TableDefinition } from '../schema.js';

function columnType(column: ColumnDefinition): string {
  switch (column.type.kind) {
    case 'int':
    case 'bigint':
      return 'INTEGER';
    case 'name':
    case 'text':
    case 'longtext':
      return 'TEXT';
    case 'bytes':
    case 'blob':
    case 'chunk':
      return 'BLOB';
  }
}

function literal(value: number | string): string {
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  forUpdate: '', // one writer at a time: BEGIN IMMEDIATE already holds the write lock
  maxChunkBytes: 64 * 1024, // SQLite stores a 64 KB value in one row without trouble
  createTable(table: TableDefinition): string[] {
    const parts = table.columns.map((c) => {
      if (c.name === table.rowKey) return `${c.name} INTEGER PRIMARY KEY`;
      let sql = `${c.name} ${columnType(c)}`;
      if (!c.nullable) sql += ' NOT NULL';
      if (c.default !== undefined) sql += ` DEFAULT ${literal(c.default)}`;
      return sql;
    });
    // With a row key, the declared primary key becomes a unique key, unless it contains every column of another
    // unique key: then it constrains nothing more and only costs an index to maintain on every insert.
    const uniqueKeys = (table.unique ?? []).filter((u) => u.columns.join() !== table.rowKey).map((u) => u.columns);
    if (table.rowKey === undefined) parts.push(`PRIMARY KEY (${table.primaryKey.join(', ')})`);
    else if (!uniqueKeys.some((u) => u.every((c) => table.primaryKey.includes(c)))) uniqueKeys.push(table.primaryKey);
    for (const u of uniqueKeys) parts.push(`UNIQUE (${u.join(', ')})`);
    for (const fk of table.foreignKeys ?? []) {
      parts.push(
        `FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.references.table} (${fk.references.columns.join(', ')})` +
          (fk.onDelete === 'cascade' ? ' ON DELETE CASCADE' : ''),
      );
    }
    const statements = [`CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${parts.join(',\n  ')}\n)`];
    for (const index of table.indexes ?? []) {
      statements.push(`CREATE INDEX IF NOT EXISTS ${index.name} ON ${table.name} (${index.columns.join(', ')})`);
    }
    return statements;
  },
  upsert(table, columns, keyColumns, updateColumns) {
    const placeholders = columns.map(() => '?').join(', ');
    const updates = updateColumns.map((c) => `${c} = excluded.${c}`).join(', ');
    return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${updates}`;
  },
};
