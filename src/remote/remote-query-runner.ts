import type { Table } from 'apache-arrow';
import { describeQuery } from '../featurestore/query/query-description.js';
import type { QueryPlan } from '../featurestore/query/query-plan.js';
import type { QueryRunner } from '../featurestore/query/query-runner.js';
import type { QueryReadOptions } from '../featurestore/query/query.js';
import { arrowRowTable, presentTable } from '../featurestore/records/row-table.js';
import { segment, type RestClient } from './rest-client.js';

/** Runs the queries of one project's feature groups on the server: the plan goes as its JSON description. */
export class RemoteQueryRunner implements QueryRunner {
  private readonly path: string;

  constructor(
    private readonly client: RestClient,
    project: string,
  ) {
    this.path = `/projects/${segment(project)}/query`;
  }

  async read(plan: QueryPlan, options: QueryReadOptions): Promise<Record<string, unknown>[] | Table> {
    const { table } = await this.client.table('POST', this.path, { json: { query: describeQuery(plan) } });
    return options.dataframe === 'arrow' ? table : presentTable(await arrowRowTable(table), options);
  }

  async toSql(plan: QueryPlan): Promise<string> {
    return (await this.client.json<{ sql: string }>('POST', `${this.path}/sql`, { json: { query: describeQuery(plan) } })).sql;
  }
}
