import { InvalidArgumentError } from '../../errors/humle-error.js';

/**
 * The query parameters of a WebHDFS request, read as HDFS reads them (its ParamFilter lower-cases names, so
 * `OP=open` works; values keep their case except where an enum says otherwise). A bad value is an
 * IllegalArgumentException (400) naming the parameter, as HDFS's own parameter parsing reports it.
 */
export class WebHdfsParams {
  private readonly values = new Map<string, string[]>();

  constructor(search: URLSearchParams) {
    for (const [name, value] of search) {
      const key = name.toLowerCase();
      const list = this.values.get(key);
      if (list === undefined) this.values.set(key, [value]);
      else list.push(value);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  /** Every value of a parameter that may repeat (`xattr.name`). */
  strings(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw invalid(name, value, 'it is required');
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === undefined || value === '') return fallback;
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw invalid(name, value, 'it must be true or false');
    return lower === 'true';
  }

  /** A Java long that must fit a safe JavaScript integer, at least `min`. */
  long(name: string, fallback: number, min = 0): number {
    const value = this.string(name);
    if (value === undefined || value === '') return fallback;
    if (!/^-?\d+$/.test(value)) throw invalid(name, value, 'it must be an integer');
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < min) throw invalid(name, value, `it must be an integer from ${min} up to 2^53`);
    return number;
  }

  /** Octal mode bits as HDFS's PermissionParam takes them: up to 1777. */
  permission(fallback: number): number {
    const value = this.string('permission');
    if (value === undefined || value === '') return fallback;
    if (!/^[01]?[0-7]{1,3}$/.test(value)) throw invalid('permission', value, 'it must be octal, 0 to 1777');
    return Number.parseInt(value, 8);
  }

  /** A path parameter (destination, sources): absolute, as HDFS requires. */
  path(name: string): string {
    const value = this.required(name);
    if (!value.startsWith('/')) throw invalid(name, value, 'it must be an absolute path');
    return value;
  }
}

export function invalid(name: string, value: string | undefined, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid value for webhdfs parameter "${name}": ${JSON.stringify(value ?? null)}: ${reason}`, { parameter: name, value: value ?? null });
}
