import { RemoteQueryRunner } from './remote-query-runner.js';
import type { RestClient } from './rest-client.js';

/**
 * What every object of one remote connection shares: the REST client, and one query runner per project, so that
 * queries of a project's feature groups join each other however their groups were fetched.
 */
export class RemoteContext {
  private readonly runners = new Map<string, RemoteQueryRunner>();

  constructor(readonly client: RestClient) {}

  queries(project: string): RemoteQueryRunner {
    let runner = this.runners.get(project);
    if (runner === undefined) {
      runner = new RemoteQueryRunner(this.client, project);
      this.runners.set(project, runner);
    }
    return runner;
  }
}
