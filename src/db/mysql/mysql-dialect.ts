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
  }
}

function literal(value: number | string): string {
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

export function mysqlDialect(tableEngine: 'InnoDB' | 'ndbcluster'): Dialect {
  return {
    name: 'mysql',
    forUpdate: ' FOR UPDATE',
    maxChunkBytes: CHUNK_BYTES,
    createTable(table: TableDefinition): string[] {
      const parts = table.columns.map((c) => {
        let sql = `${c.name} ${columnType(c)}`;
        sql += c.nullable ? ' NULL' : ' NOT NULL';
        if (c.default !== undefined) sql += ` DEFAULT ${literal(c.default)}`;
        return sql;
      });
      parts.push(`PRIMARY KEY (${table.primaryKey.join(', ')})`);
      for (const u of table.unique ?? []) parts.push(`UNIQUE KEY ${u.name} (${u.columns.join(', ')})`);
      for (const index of table.indexes ?? []) parts.push(`KEY ${index.name} (${index.columns.join(', ')})`);
      for (const fk of table.foreignKeys ?? []) {
        parts.push(
          `FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.references.table} (${fk.references.columns.join(', ')})` +
            (fk.onDelete === 'cascade' ? ' ON DELETE CASCADE' : ''),
        );
      }
      // NDB places rows by the partition key (HopsFS: an inode with its siblings); it must be part of the primary key.
      const partitioning =
        tableEngine === 'ndbcluster' && table.partitionBy ? ` PARTITION BY KEY (${table.partitionBy.join(', ')})` : '';
      // One statement with its indexes inline, so rerunning it after a crash is a no-op.
      return [
        `CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${parts.join(',\n  ')}\n) ENGINE=${tableEngine} DEFAULT CHARSET=utf8mb4${partitioning}`,
      ];
    },
    upsert(table, columns, _keyColumns, updateColumns) {
      const placeholders = columns.map(() => '?').join(', ');
      const updates = updateColumns.map((c) => `${c} = VALUES(${c})`).join(', ');
      return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) ON DUPLICATE KEY UPDATE ${updates}`;
    },
  };
}
