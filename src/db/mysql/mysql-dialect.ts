import type { Dialect } from '../dialect.js';
import type { ColumnDefinition, TableDefinition } from '../schema.js';

/** Rows of one chunked value: small enough for NDB's row size limit, so the same schema runs on RonDB. */
const CHUNK_BYTES = 8192;

function columnType(column: ColumnDefinition): string {
  const t = column.type;
  switch (t.kind) {
    case 'int':
      return 'INT';
    case 'bigint':
      return 'BIGINT';
    case 'name':
      // Binary collation: file names and keys are case-sensitive and ordered by bytes, as on SQLite.
      return `VARCHAR(${t.length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`;
    case 'text':
      return `VARCHAR(${t.length}) CHARACTER SET utf8mb4`;
    case 'longtext':
      return 'LONGTEXT CHARACTER SET utf8mb4';
    case 'bytes':
      return `VARBINARY(${t.length})`;
    case 'blob':
      return t.length < 65536 ? 'BLOB' : t.length < 16 * 1024 * 1024 ? 'MEDIUMBLOB' : 'LONGBLOB';
    case 'chunk':
      return `VARBINARY(${CHUNK_BYTES})`;
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'date':
      return 'DATE';
  }
}

function literal(value: number | string): string {
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

export function mysqlDialect(tableEngine: 'InnoDB' | 'ndbcluster'): Dialect {
  return {
    name: 'mysql',
    // The pool reads integers beyond 2^53 as decimal strings already (supportBigNumbers).
    exactInteger: (expression) => expression,
    forUpdate: ' FOR UPDATE',
    maxChunkBytes: CHUNK_BYTES,
    createTable(table: TableDefinition): string[] {
      const parts = table.columns.map((c) => {
        let sql = `${quote(c.name)} ${columnType(c)}`;
        sql += c.nullable ? ' NULL' : ' NOT NULL';
        if (c.default !== undefined) sql += ` DEFAULT ${literal(c.default)}`;
        return sql;
      });
      parts.push(`PRIMARY KEY (${quoteAll(table.primaryKey)})`);
      for (const u of table.unique ?? []) parts.push(`UNIQUE KEY ${u.name} (${quoteAll(u.columns)})`);
      for (const index of table.indexes ?? []) parts.push(`KEY ${index.name} (${quoteAll(index.columns)})`);
      for (const fk of table.foreignKeys ?? []) {
        parts.push(
          `FOREIGN KEY (${quoteAll(fk.columns)}) REFERENCES ${fk.references.table} (${quoteAll(fk.references.columns)})` +
            (fk.onDelete === 'cascade' ? ' ON DELETE CASCADE' : ''),
        );
      }
      // NDB places rows by the partition key (HopsFS: an inode with its siblings); it must be part of the primary key.
      const partitioning =
        tableEngine === 'ndbcluster' && table.partitionBy ? ` PARTITION BY KEY (${quoteAll(table.partitionBy)})` : '';
      // One statement with its indexes inline, so rerunning it after a crash is a no-op.
      return [
        `CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${parts.join(',\n  ')}\n) ENGINE=${tableEngine} DEFAULT CHARSET=utf8mb4${partitioning}`,
      ];
    },
    dropTable(name) {
      return `DROP TABLE IF EXISTS ${name}`;
    },
    addColumn(table, column) {
      return `ALTER TABLE ${table} ADD COLUMN ${quote(column.name)} ${columnType(column)} NULL`;
    },
    quote,
    upsert(table, columns, _keyColumns, updateColumns, rowCount = 1) {
      const updates = updateColumns.map((c) => `${c} = VALUES(${c})`).join(', ');
      return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesList(columns.length, rowCount)} ON DUPLICATE KEY UPDATE ${updates}`;
    },
    upsertIfNewer(table, columns, keyColumns, versionColumn, rowCount) {
      // Assignments run left to right and later ones see earlier results, so the version column goes last: every
      // other column is compared against the stored version before it changes. VALUES() rather than a row alias:
      // MariaDB has no `AS new`.
      const v = quote(versionColumn);
      const newer = `VALUES(${v}) >= ${v}`;
      const updates = columns
        .filter((c) => !keyColumns.includes(c) && c !== versionColumn)
        .map((c) => `${quote(c)} = IF(${newer}, VALUES(${quote(c)}), ${quote(c)})`);
      if (!keyColumns.includes(versionColumn)) updates.push(`${v} = IF(${newer}, VALUES(${v}), ${v})`);
      return (
        `INSERT INTO ${table} (${columns.map(quote).join(', ')}) VALUES ${valuesList(columns.length, rowCount)} ` +
        `ON DUPLICATE KEY UPDATE ${updates.join(', ')}`
      );
    },
  };
}

function quote(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

function quoteAll(identifiers: readonly string[]): string {
  return identifiers.map(quote).join(', ');
}

/** `(?, ?), (?, ?)`: placeholders for a multi-row VALUES clause. */
function valuesList(columnCount: number, rowCount: number): string {
  const row = `(${'?, '.repeat(columnCount - 1)}?)`;
  return `${row}, `.repeat(rowCount - 1) + row;
}
