/**
 * Calendar arithmetic for dates and timestamps, on the proleptic Gregorian calendar in UTC, years 0001–9999 (what
 * Hive, Spark, DuckDB and MySQL DATETIME all hold). JavaScript's Date cannot be used for parsing: it keeps only
 * milliseconds, reads zone-less strings as local time and maps years 0–99 to 1900–1999.
 *
 * Parsers return a number (or bigint) on success and throw a reason string on failure, the convention of
 * value-coercion.ts, so that a refused value costs no Error allocation until the batch validator reports it.
 */

export const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;

/** Seconds from the epoch to 0001-01-01T00:00:00Z and to 9999-12-31T23:59:59Z: the timestamp range. */
export const MIN_EPOCH_SECOND = -62_135_596_800;
export const MAX_EPOCH_SECOND = 253_402_300_799;
export const MIN_EPOCH_MICROS = BigInt(MIN_EPOCH_SECOND) * 1_000_000n;
export const MAX_EPOCH_MICROS = BigInt(MAX_EPOCH_SECOND) * 1_000_000n + 999_999n;

/** Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil), for any year. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The civil date of a day number (the inverse of daysFromCivil), as `YYYY-MM-DD`. */
export function formatEpochDay(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** The value of `count` ASCII digits at `start`, or -1 when any of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48; // NaN past the end of the text, which the test below also refuses
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** Checks `YYYY-MM-DD` at the start of `text` and returns its day number; throws a reason naming what is wrong. */
function parseCivilDate(text: string, what: string): number {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (text.length < 10 || year < 0 || month < 0 || day < 0 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) {
    throw `${quote(text)} is not a ${what}: expected ${what === 'date' ? 'YYYY-MM-DD' : 'YYYY-MM-DD[Thh:mm[:ss[.ffffff]]][Z|±hh:mm]'}`;
  }
  if (year < 1) throw `${quote(text)}: year 0000 is outside the supported range 0001–9999`;
  if (month < 1 || month > 12) throw `${quote(text)}: month ${month} does not exist`;
  if (day < 1 || day > daysInMonth(year, month)) {
    throw `${quote(text)}: day ${day} does not exist in ${pad(year, 4)}-${pad(month, 2)}${month === 2 && day === 29 ? ' (not a leap year)' : ''}`;
  }
  return daysFromCivil(year, month, day);
}

/** Checks a `YYYY-MM-DD` calendar date (leap years included); returns it unchanged, as it is already canonical. */
export function parseDateText(text: string): string {
  if (text.length !== 10) throw `${quote(text)} is not a date: expected YYYY-MM-DD`;
  parseCivilDate(text, 'date');
  return text;
}

/**
 * Microseconds since the epoch of an ISO-8601 timestamp: `YYYY-MM-DD`, optionally followed by `T` or a space and
 * `hh:mm`, `:ss`, `.f` (1–6 digits; 7–9 only when the digits beyond microseconds are zeros: nothing is rounded),
 * and a zone `Z`, `±hh:mm` or `±hhmm`. Without a zone the time is UTC. Returns a number when the result is a safe
 * integer, a bigint otherwise (the canonical timestamp form).
 */
export function parseTimestampText(text: string): number | bigint {
  const days = parseCivilDate(text, 'timestamp');
  let seconds = days * SECONDS_PER_DAY;
  let micros = 0;
  let i = 10;
  const n = text.length;
  if (i < n) {
    const separator = text.charCodeAt(i);
    if (separator !== 84 /* T */ && separator !== 116 /* t */ && separator !== 32 /* space */) throw unparseableTimestamp(text);
    const hour = digitsAt(text, i + 1, 2);
    const minute = digitsAt(text, i + 4, 2);
    if (n < i + 6 || hour < 0 || minute < 0 || text.charCodeAt(i + 3) !== 58) throw unparseableTimestamp(text);
    if (hour > 23) throw `${quote(text)}: hour ${hour} does not exist (00–23)`;
    if (minute > 59) throw `${quote(text)}: minute ${minute} does not exist (00–59)`;
    seconds += hour * 3600 + minute * 60;
    i += 6;
    if (i < n && text.charCodeAt(i) === 58 /* : */) {
      const second = digitsAt(text, i + 1, 2);
      if (n < i + 3 || second < 0) throw unparseableTimestamp(text);
      if (second > 59) throw `${quote(text)}: second ${second} does not exist (00–59; leap seconds are not represented)`;
      seconds += second;
      i += 3;
      if (i < n && text.charCodeAt(i) === 46 /* . */) {
        const start = i + 1;
        let end = start;
        while (end < n && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
        const digits = end - start;
        if (digits === 0) throw unparseableTimestamp(text);
        if (digits > 6) {
          if (digits > 9 || digitsAt(text, start + 6, digits - 6) !== 0) {
            throw `${quote(text)}: more precision than microseconds; timestamps keep microseconds and are never rounded`;
          }
        }
        micros = digitsAt(text, start, Math.min(digits, 6)) * 10 ** (6 - Math.min(digits, 6));
        i = end;
      }
    }
    if (i < n) {
      const zone = text.charCodeAt(i);
      if ((zone === 90 /* Z */ || zone === 122 /* z */) && i + 1 === n) {
        i = n;
      } else if (zone === 43 /* + */ || zone === 45 /* - */) {
        const offsetHours = digitsAt(text, i + 1, 2);
        const withColon = text.charCodeAt(i + 3) === 58;
        const offsetMinutes = digitsAt(text, withColon ? i + 4 : i + 3, 2);
        const end = withColon ? i + 6 : i + 5;
        if (offsetHours < 0 || offsetMinutes < 0 || end !== n) throw unparseableTimestamp(text);
        if (offsetHours > 23 || offsetMinutes > 59) throw `${quote(text)}: zone offset ${text.slice(i)} does not exist`;
        const offset = offsetHours * 3600 + offsetMinutes * 60;
        seconds += zone === 43 ? -offset : offset;
        i = n;
      }
    }
    if (i !== n) throw unparseableTimestamp(text);
  }
  if (seconds < MIN_EPOCH_SECOND || seconds > MAX_EPOCH_SECOND) throw `${quote(text)} is outside the supported range 0001-01-01 to 9999-12-31 (UTC)`;
  return microsFromParts(seconds, micros);
}

/** seconds * 10^6 + micros, as a number while it is a safe integer and as a bigint beyond (the canonical form). */
function microsFromParts(seconds: number, micros: number): number | bigint {
  const total = seconds * MICROS_PER_SECOND + micros;
  // Past 2^53 the product is rounded, but a rounded result is never a safe integer, so this test is exact.
  if (Number.isSafeInteger(total)) return total;
  return BigInt(seconds) * 1_000_000n + BigInt(micros);
}

/** `YYYY-MM-DDThh:mm:ss.ffffffZ` of canonical microseconds: the text form parseTimestampText reads back exactly. */
export function formatTimestamp(micros: number | bigint): string {
  let seconds: number;
  let fraction: number;
  if (typeof micros === 'bigint') {
    const s = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
    seconds = Number(s);
    fraction = Number(micros - s * 1_000_000n);
  } else {
    // Integer remainder first: micros / 10^6 in floating point can round up to the next second near 2^53.
    fraction = micros % MICROS_PER_SECOND;
    if (fraction < 0) fraction += MICROS_PER_SECOND;
    seconds = (micros - fraction) / MICROS_PER_SECOND;
  }
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const secondOfDay = seconds - days * SECONDS_PER_DAY;
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  const second = secondOfDay % 60;
  return `${formatEpochDay(days)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(fraction, 6)}Z`;
}

/**
 * Epoch nanoseconds (Arrow, Parquet) as the bigint microseconds timestamp coercers take, when no precision is lost;
 * otherwise as nine-digit text, which the coercer refuses with its reason ("more precision than microseconds")
 * in the row and column where it happened, rather than rounding here.
 */
export function microsFromNanos(nanos: bigint): bigint | string {
  const remainder = ((nanos % 1000n) + 1000n) % 1000n;
  if (remainder === 0n) return nanos / 1000n;
  return `${formatTimestamp((nanos - remainder) / 1000n).slice(0, -1)}${remainder.toString().padStart(3, '0')}Z`;
}

function unparseableTimestamp(text: string): string {
  return `${quote(text)} is not a timestamp: expected YYYY-MM-DD[Thh:mm[:ss[.ffffff]]][Z|±hh:mm]`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
