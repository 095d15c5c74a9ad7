import { tableFromIPC, type Table } from 'apache-arrow';
import { errorOfAnswer } from '../errors/error-transport.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import { ServerError, ServerUnreachableError } from '../errors/server-errors.js';
import { wireJson } from './wire-values.js';

/** Query parameters of a request; undefined ones are left out. */
export type QueryParameters = Record<string, string | number | undefined>;

export interface RequestOptions {
  query?: QueryParameters;
  /** A JSON body (values sent as wireJson writes them). */
  json?: unknown;
  /** A body of another media type, sent as it is (a stream is sent as it is read). */
  body?: { data: BodyInit; contentType: string; length?: number };
  accept?: string;
}

const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/**
 * The Humle REST API under `<url>/api/v1`, called with one API key: requests over Node's fetch (undici keeps the
 * connections alive between calls), answers read as JSON or Arrow IPC, and failures turned into the typed errors
 * the embedded SDK throws for the same codes (see errorOfAnswer).
 */
export class RestClient {
  private readonly base: string;
  private closed = false;

  constructor(
    readonly url: string,
    private readonly apiKey: string,
  ) {
    this.base = `${url.replace(/\/+$/, '')}/api/v1`;
  }

  /** A JSON answer (undefined for 204 No Content). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, { accept: 'application/json', ...options });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** An answer of rows as Arrow IPC, with the answer's headers (a view read names its label columns there). */
  async table(method: string, path: string, options: RequestOptions = {}): Promise<{ table: Table; headers: Headers }> {
    const response = await this.request(method, path, { accept: ARROW_STREAM, ...options });
    return { table: tableFromIPC(new Uint8Array(await response.arrayBuffer())), headers: response.headers };
  }

  /** Refuses further requests: a closed connection behaves as a closed embedded Humle, not as a live one. */
  close(): void {
    this.closed = true;
  }

  private async request(method: string, path: string, options: RequestOptions): Promise<Response> {
    if (this.closed) throw new InvalidArgumentError(`the connection to ${this.url} is closed`, { url: this.url });
    const headers: Record<string, string> = { 'x-api-key': this.apiKey };
    if (options.accept !== undefined) headers.accept = options.accept;
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = wireJson(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = options.body.contentType;
      if (options.body.length !== undefined) headers['content-length'] = String(options.body.length);
      body = options.body.data;
    }
    let response: Response;
    try {
      // duplex 'half': a streamed body (a file being inserted) is sent while it is read.
      response = await fetch(this.base + path + queryString(options.query), { method, headers, body, duplex: 'half' } as RequestInit);
    } catch (error) {
      throw new ServerUnreachableError(`cannot reach the Humle server at ${this.url}: ${causeOf(error)}`, { url: this.url });
    }
    if (response.ok) return response;
    const text = await response.text();
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new ServerError(`HTTP_${response.status}`, `the server answered ${response.status} ${response.statusText}: ${text.slice(0, 200)}`, { status: response.status });
    }
    throw errorOfAnswer(response.status, answer);
  }
}

/** A path segment (a project, feature group or view name, a user), escaped. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

function queryString(query: QueryParameters | undefined): string {
  const entries = Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

/** fetch reports a network failure as TypeError('fetch failed') with the system error as its cause. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
