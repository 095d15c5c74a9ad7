import { errorCodeOf, exitCodeOf } from '../exit-codes.js';
import type { Output } from '../output.js';
import { ReportedFailure } from '../reported-failure.js';

export interface PathOutcome {
  /** Ends the command: throws the first failure's exit code when any argument failed (each was already reported). */
  finish(): void;
}

/**
 * Runs `body` for each argument, reporting a failure and going on with the next, as `hdfs dfs` does. The caller
 * prints what succeeded, then calls `finish`.
 */
export async function eachPath<T>(out: Output, args: readonly T[], body: (arg: T) => Promise<void>): Promise<PathOutcome> {
  let exitCode: number | undefined;
  for (const arg of args) {
    try {
      await body(arg);
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
    finish() {
      if (exitCode !== undefined) throw new ReportedFailure(exitCode);
    },
  };
}
