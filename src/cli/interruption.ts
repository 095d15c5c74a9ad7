import type { Readable } from 'node:stream';
import { HumleError } from '../errors/humle-error.js';

/** The user stopped a transfer (Ctrl-C, or SIGTERM from a supervisor); exit code 130 as shells report it. */
export class InterruptedError extends HumleError {
  readonly code = 'INTERRUPTED';
}

/**
 * Runs a transfer so that SIGINT or SIGTERM ends it cleanly instead of killing the process mid-write: the source is
 * destroyed, the pipeline fails, and the caller's clean-up removes its temporary file (a killed writer would leave an
 * under-construction file whose lease blocks the next attempt until it expires).
 */
export async function interruptible<T>(source: Readable, body: () => Promise<T>): Promise<T> {
  let signal: NodeJS.Signals | undefined;
  const onSignal = (received: NodeJS.Signals) => {
    signal = received;
    source.destroy(new InterruptedError(`interrupted by ${received}`, { signal: received }));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let result: T;
    try {
      result = await body();
    } catch (error) {
      // Whatever the destroyed source made the pipeline throw, the cause is the signal.
      if (signal !== undefined) throw new InterruptedError(`interrupted by ${signal}`, { signal });
      throw error;
    }
    // A signal between the last byte and the rename still stops the command.
    if (signal !== undefined) throw new InterruptedError(`interrupted by ${signal}`, { signal });
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
