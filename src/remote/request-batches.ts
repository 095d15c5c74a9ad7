import { HumleError } from '../errors/humle-error.js';

/**
 * Runs one request per batch of at most `size` items, in order, and joins their answers: the server bounds the
 * items of a request, the SDK does not. An error that names an item by its index (`details[indexField]`, as the
 * server counts within its request) is made to name it in the whole list.
 */
export async function inBatches<T, R>(items: readonly T[], size: number, indexField: string, run: (batch: T[], offset: number) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let offset = 0; offset < items.length; offset += size) {
    try {
      out.push(...(await run(items.slice(offset, offset + size), offset)));
    } catch (error) {
      if (offset > 0 && error instanceof HumleError && typeof error.details[indexField] === 'number') error.details[indexField] += offset;
      throw error;
    }
  }
  return out;
}
