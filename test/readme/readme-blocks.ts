import { readFileSync } from 'node:fs';

/**
 * The README's fenced code blocks, with what the line before each says about running it. An example that runs as
 * written needs no marker; one that needs a server, or cannot run as written, says so on the line before its fence:
 *
 *   <!-- example: server demo -->      runs against a server on the `npm start` demo (its key in KEY, HUMLE_API_KEY)
 *   <!-- example: server fraud -->     runs against a server where alice owns the project fraud (her key in KEY)
 *   <!-- example: skip: <reason> -->   not run, with the reason (the test prints it)
 *
 * so whoever edits the README sees, beside the block, how the test treats it.
 */
export interface ReadmeBlock {
  /** The fence's language: `ts`, `sh`, `python`, `json` ... or '' for plain text. */
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  run: BlockRun;
}

export type ServerWorld = 'demo' | 'fraud';

export type BlockRun = { kind: 'local' } | { kind: 'server'; world: ServerWorld } | { kind: 'skip'; reason: string };

/** The languages the test runs; the others are output, data or configuration shown for reading. */
export const RUNNABLE_LANGS: ReadonlySet<string> = new Set(['ts', 'sh', 'python']);

const MARKER = /^<!-- example: (.*) -->$/;

export function readmeBlocks(path: string): ReadmeBlock[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block that never closes`);
    const marker = i > 0 ? MARKER.exec(lines[i - 1]!) : null;
    blocks.push({ lang: open[1]!, line: i + 1, code: lines.slice(i + 1, end).join('\n') + '\n', run: parseRun(marker?.[1], i) });
    i = end;
  }
  return blocks;
}

function parseRun(marker: string | undefined, index: number): BlockRun {
  if (marker === undefined) return { kind: 'local' };
  const skip = /^skip: (.+)$/.exec(marker);
  if (skip !== null) return { kind: 'skip', reason: skip[1]! };
  const server = /^server (demo|fraud)$/.exec(marker);
  if (server !== null) return { kind: 'server', world: server[1] as ServerWorld };
  throw new Error(`README.md:${index}: unknown example marker "${marker}" (server demo, server fraud or skip: <reason>)`);
}
