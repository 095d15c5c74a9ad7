import type { Table } from 'apache-arrow';
import type { QueryPlan } from './query-plan.js';
import type { QueryReadOptions } from './query.js';

/**
 * Where a query runs once it is built: DuckDB in this process over the groups' Parquet files (OfflineQueryRunner),
 * or a Humle server (the remote SDK). The Query builder is the same for both; only reading differs.
 */
export interface QueryRunner {
  /** Rows presented as `fg.read` presents them, or an apache-arrow Table with `dataframe: 'arrow'`. */
  read(plan: QueryPlan, options: QueryReadOptions): Promise<Record<string, unknown>[] | Table>;
  /** The DuckDB SQL that `read` runs now. */
  toSql(plan: QueryPlan): Promise<string>;
}
