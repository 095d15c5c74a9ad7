/**
 * Thrown by a command that has already reported its failures (one per path: like `hdfs dfs`, a command goes on past a
 * bad path) and only needs the process to end with `exitCode`.
 */
export class ReportedFailure extends Error {
  constructor(readonly exitCode: number) {
    super(`failed with exit code ${exitCode}`);
    this.name = 'ReportedFailure';
  }
}
