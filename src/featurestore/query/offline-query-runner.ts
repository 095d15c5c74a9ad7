import type { Table } from 'apache-arrow';
import type { FeatureStoreContext } from '../featurestore-context.js';
import type { OfflineColumn } from '../offline/offline-column.js';
import { readDuckDBArrowTables } from '../offline/duckdb/duckdb-arrow-result.js';
import { withDuckDBConnection } from '../offline/duckdb/duckdb-instance.js';
import { streamDuckDBRows } from '../offline/duckdb/duckdb-result-rows.js';
import { ParquetFileError } from '../offline/offline-store-errors.js';
import { presentRow } from '../records/row-presentation.js';
import { prepareQuery } from './query-inputs.js';
import type { QueryPlan } from './query-plan.js';
import type { QueryReadOptions } from './query.js';
import type { QueryRunner } from './query-runner.js';

/**
 * Runs queries of the embedded feature store: one DuckDB statement over the groups' live Parquet files (see
 * QuerySql), planned against fresh metadata; no row passes through JavaScript before the result.
 */
export class OfflineQueryRunner implements QueryRunner {
  constructor(private readonly ctx: FeatureStoreContext) {}

  async read(plan: QueryPlan, options: QueryReadOptions): Promise<Record<string, unknown>[] | Table> {
    const { resolved, sql, failure } = await prepareQuery(this.ctx, plan);
    const features = resolved.output.map((c) => c.feature);
    return withDuckDBConnection(async (connection) => {
      if (options.dataframe === 'arrow') return (await readDuckDBArrowTables(connection, sql.select(), { features, partColumn: null, parts: 1 }, failure))[0]!;
      const rows: Record<string, unknown>[] = [];
      for await (const batch of streamDuckDBRows(connection, sql.select(), failure)) {
        for (const row of batch.rows) rows.push(presentRow(features, row, options));
      }
      return rows;
    });
  }

  /**
   * The statement `read` runs, the columns of its result in order and the error a failure of it becomes: for a
   * reader that runs it elsewhere (the server's answer workers).
   */
  async statement(plan: QueryPlan): Promise<{ sql: string; columns: OfflineColumn[]; failure: (error: Error) => Promise<Error> }> {
    const { resolved, sql, failure } = await prepareQuery(this.ctx, plan);
    return { sql: sql.select(), columns: resolved.output.map(({ feature }) => ({ name: feature.name, type: feature.type })), failure };
  }

  async toSql(plan: QueryPlan): Promise<string> {
    return (await prepareQuery(this.ctx, plan)).sql.select();
  }
}

/** DuckDB failing on a query Humle built means the files could not be read (missing, unreadable, corrupt). */
export function offlineQueryFailure(error: Error): Error {
  return new ParquetFileError(`the offline query failed: ${error.message}`, {});
}
