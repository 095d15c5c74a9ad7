import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets the event loop turn during a long stretch of synchronous work (a large insert's statements, each synchronous
 * on SQLite, and its loops over every row): `turn()` yields once BUDGET_MS of work have passed since the last turn,
 * so the requests of other clients wait at most about that long. Awaiting a resolved promise would not do: it runs
 * the next microtask, never the I/O and timers of other requests.
 */
export class EventLoopTurns {
  private static readonly BUDGET_MS = 10;
  private since = performance.now();

  async turn(): Promise<void> {
    if (performance.now() - this.since < EventLoopTurns.BUDGET_MS) return;
    await nextTurn();
    this.since = performance.now();
  }
}
