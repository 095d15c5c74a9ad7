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
    case 'date':
    case 'decimal': // as text, so no digit is lost to floating point
      return 'TEXT';
    case 'float':
    case 'double':
      return 'REAL';
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
  exactInteger(expression) {
    return `CASE WHEN ${expression} BETWEEN -9007199254740991 AND 9007199254740991 THEN ${expression} ELSE CAST(${expression} AS TEXT) END`;
  },
  forUpdate: '', // one writer at a time: BEGIN IMMEDIATE already holds the write lock
  maxChunkBytes: 64 * 1024, // SQLite stores a 64 KB value in one row without trouble
  createTable(table: TableDefinition): string[] {
    const parts = table.columns.map((c) => {
      if (c.name === table.rowKey) return `${quote(c.name)} INTEGER PRIMARY KEY`;
      let sql = `${quote(c.name)} ${columnType(c)}`;
      if (!c.nullable) sql += ' NOT NULL';
      if (c.default !== undefined) sql += ` DEFAULT ${literal(c.default)}`;
      return sql;
    });
    // With a row key, the declared primary key becomes a unique key, unless it contains every column of another
    // unique key: then it constrains nothing more and only costs an index to maintain on every insert.
    const uniqueKeys = (table.unique ?? []).filter((u) => u.columns.join() !== table.rowKey).map((u) => u.columns);
    if (table.rowKey === undefined) parts.push(`PRIMARY KEY (${quoteAll(table.primaryKey)})`);
    else if (!uniqueKeys.some((u) => u.every((c) => table.primaryKey.includes(c)))) uniqueKeys.push(table.primaryKey);
    for (const u of uniqueKeys) parts.push(`UNIQUE (${quoteAll(u)})`);
    for (const fk of table.foreignKeys ?? []) {
      parts.push(
        `FOREIGN KEY (${quoteAll(fk.columns)}) REFERENCES ${fk.references.table} (${quoteAll(fk.references.columns)})` +
          (fk.onDelete === 'cascade' ? ' ON DELETE CASCADE' : ''),
      );
    }
    const statements = [`CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${parts.join(',\n  ')}\n)`];
    for (const index of table.indexes ?? []) {
      statements.push(`CREATE INDEX IF NOT EXISTS ${index.name} ON ${table.name} (${quoteAll(index.columns)})`);
    }
    return statements;
  },
  dropTable(name) {
    return `DROP TABLE IF EXISTS ${name}`;
  },
  addColumn(table, column) {
    return `ALTER TABLE ${table} ADD COLUMN ${quote(column.name)} ${columnType(column)}`;
  },
  quote,
  upsert(table, columns, keyColumns, updateColumns, rowCount = 1) {
    const updates = updateColumns.map((c) => `${c} = excluded.${c}`).join(', ');
    return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesList(columns.length, rowCount)} ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${updates}`;
  },
  upsertIfNewer(table, columns, keyColumns, versionColumn, rowCount) {
    const updates = columns
      .filter((c) => !keyColumns.includes(c))
      .map((c) => `${quote(c)} = excluded.${quote(c)}`)
      .join(', ');
    return (
      `INSERT INTO ${table} (${columns.map(quote).join(', ')}) VALUES ${valuesList(columns.length, rowCount)} ` +
      `ON CONFLICT (${keyColumns.map(quote).join(', ')}) DO UPDATE SET ${updates} ` +
      `WHERE excluded.${quote(versionColumn)} >= ${table}.${quote(versionColumn)}`
    );
  },
};

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function quoteAll(identifiers: readonly string[]): string {
  return identifiers.map(quote).join(', ');
}

/** `(?, ?), (?, ?)`: placeholders for a multi-row VALUES clause. */
function valuesList(columnCount: number, rowCount: number): string {
  const row = `(${'?, '.repeat(columnCount - 1)}?)`;
  return `${row}, `.repeat(rowCount - 1) + row;
}
