import { errorCodeOf, exitCodeOf } from '../exit-codes.js';
import type { Output } from '../output.js';
import { ReportedFailure } from '../reported-failure.js';

export interface PathOutcome {
  /** Whether at least one argument succeeded: only then is there a result to print. */
  readonly anySucceeded: boolean;
  /**
   * Ends the command: prints `result` (with --json) when at least one argument succeeded — arguments that all failed
   * have no result, and an empty one (`[]`) would read as a success with nothing found — then throws the first
   * failure's exit code when any argument failed (each was already reported on stderr).
   */
  finish(result?: unknown): Promise<void>;
}

/**
 * Runs `body` for each argument, reporting a failure and going on with the next, as `hdfs dfs` does. The caller
 * prints what succeeded, then calls `finish`.
 */
export async function eachPath<T>(out: Output, args: readonly T[], body: (arg: T) => Promise<void>): Promise<PathOutcome> {
  let exitCode: number | undefined;
  let succeeded = 0;
  for (const arg of args) {
    try {
      await body(arg);
      succeeded++;
    } catch (error) {
      // Ctrl-C stops the whole command, not just the current argument.
      if (errorCodeOf(error) === 'INTERRUPTED') throw error;
      if (error instanceof ReportedFailure) exitCode ??= error.exitCode;
      else {
        out.error(error);
        exitCode ??= exitCodeOf(error);
      }
    }
  }
  return {
    anySucceeded: succeeded > 0,
    async finish(result?: unknown) {
      if (result !== undefined && succeeded > 0) await out.result(result);
      if (exitCode !== undefined) throw new ReportedFailure(exitCode);
    },
  };
}
