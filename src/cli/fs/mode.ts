import { UsageError } from '../usage-error.js';

/** A chmod MODE: computes the new mode bits from the current ones (symbolic modes depend on them). */
export type ModeChange = (current: number, isDirectory: boolean) => number;

/** The bits each class may change; the sticky bit goes with `o` (and `a`), as chmod(1) treats `+t`. */
const WHO: Readonly<Record<string, number>> = { u: 0o700, g: 0o070, o: 0o1007, a: 0o1777 };
const STICKY = 0o1000;

/**
 * Parses a chmod MODE as hdfs dfs -chmod takes it: octal (`755`, `1777`) or symbolic clauses such as `u+x`,
 * `go-w`, `a=r`, `+t`, comma-separated (`u=rwx,g=rx,o=`). `X` adds execute only to directories and files that
 * already have an execute bit.
 */
export function parseMode(text: string): ModeChange {
  if (/^[0-7]{1,4}$/.test(text)) {
    const mode = parseInt(text, 8);
    if (mode > 0o1777) throw new UsageError(`mode ${text} sets setuid or setgid bits, which humle fs does not have`, { mode: text });
    return () => mode;
  }
  const clauses = text.split(',').map((clause) => {
    const match = /^([ugoa]*)([-+=])([rwxXt]*)$/.exec(clause);
    if (match === null) throw new UsageError(`invalid mode ${JSON.stringify(text)}: use octal (755) or symbolic (u+x,go-w)`, { mode: text });
    return { who: match[1]!, op: match[2]!, perms: match[3]! };
  });
  return (current, isDirectory) => {
    let mode = current & 0o1777;
    for (const { who, op, perms } of clauses) {
      // No who means all (umask is not applied: HDFS's chmod does not apply one either).
      const mask = [...(who === '' ? 'a' : who)].reduce((m, w) => m | WHO[w]!, 0);
      let bits = 0;
      for (const p of perms) {
        if (p === 'r') bits |= 0o444;
        else if (p === 'w') bits |= 0o222;
        else if (p === 'x') bits |= 0o111;
        else if (p === 'X' && (isDirectory || (mode & 0o111) !== 0)) bits |= 0o111;
        else if (p === 't') bits |= STICKY;
      }
      const affected = bits & mask;
      if (op === '+') mode |= affected;
      else if (op === '-') mode &= ~affected;
      else mode = (mode & ~mask) | affected;
    }
    return mode & 0o1777;
  };
}
