import type { Writable } from 'node:stream';
import { HumleError } from '../errors/humle-error.js';
import { errorCodeOf } from './exit-codes.js';

export interface ErrorReport {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** What an error looks like on the command line; system errors keep their errno code (ENOENT...) as the code. */
export function errorReportOf(error: unknown): ErrorReport {
  if (error instanceof HumleError) return error.toJSON();
  const code = errorCodeOf(error) ?? 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  const path = (error as { path?: unknown } | null)?.path;
  return { code, message, details: typeof path === 'string' ? { path } : {} };
}

/**
 * Everything a command prints goes through here: results to stdout (text, or JSON with --json), errors to stderr as
 * `humle: <message>` or `{"error":{...}}`. Writes wait for the stream to drain so that listing a directory of
 * millions of entries into a slow pipe does not buffer them all in memory.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: Writable = process.stdout,
    private readonly stderr: Writable = process.stderr,
  ) {}

  write(chunk: string | Buffer): Promise<void> {
    if (this.stdout.write(chunk)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.stdout.off('drain', done);
        this.stdout.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      this.stdout.once('drain', done);
      this.stdout.once('error', done);
    });
  }

  /** A line of human-readable output; nothing in --json mode, where the command prints its result instead. */
  async line(text: string): Promise<void> {
    if (!this.json) await this.write(text + '\n');
  }

  /** The command's machine-readable result, printed only with --json. */
  async result(value: unknown): Promise<void> {
    if (this.json) await this.write(JSON.stringify(value) + '\n');
  }

  /** A JSON array written element by element, for results too long to hold (a recursive listing). */
  jsonArray(): JsonArrayWriter {
    return new JsonArrayWriter(this);
  }

  error(error: unknown): void {
    const report = errorReportOf(error);
    this.stderr.write(this.json ? JSON.stringify({ error: report }) + '\n' : `humle: ${report.message}\n`);
  }
}

export class JsonArrayWriter {
  private opened = false;

  constructor(private readonly out: Output) {}

  async push(value: unknown): Promise<void> {
    if (!this.out.json) return;
    const prefix = this.opened ? ',' : '[';
    this.opened = true;
    await this.out.write(prefix + JSON.stringify(value) + '\n');
  }

  /** Ends the array; an array that got no element is printed (`[]`) only when `evenIfEmpty`, a result that exists. */
  async close(evenIfEmpty = true): Promise<void> {
    if (!this.out.json) return;
    if (this.opened) await this.out.write(']\n');
    else if (evenIfEmpty) await this.out.write('[]\n');
  }
}
