// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and the most total
// (inclusive) time, aggregated by function name and source location.
//
//   node dist/bench/cpuprofile-top.js PROFILE.cpuprofile [--top 30]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '30' } }, allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: cpuprofile-top PROFILE.cpuprofile [--top N]');
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  let where = url;
  if (where.startsWith('file://')) where = relative(process.cwd(), new URL(where).pathname);
  return `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
}

const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (let i = 0; i < profile.samples.length; i++) {
  // timeDeltas[i] is the time before sample i; attribute the following delta to the sample, as Chrome DevTools does.
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  all += dt;
  let node = byId.get(profile.samples[i]!)!;
  const k = keyOf(node);
  self.set(k, (self.get(k) ?? 0) + dt);
  const seen = new Set<string>();
  for (;;) {
    const key = keyOf(node);
    if (!seen.has(key)) {
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
    const p = parent.get(node.id);
    if (p === undefined) break;
    node = byId.get(p)!;
  }
}

function print(title: string, map: Map<string, number>): void {
  console.log(`\n${title} (of ${all.toFixed(0)} ms sampled)`);
  console.log(`${'ms'.padStart(9)} ${'%'.padStart(6)}  function`);
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(1).padStart(9)} ${((ms / all) * 100).toFixed(1).padStart(6)}  ${key}`);
  }
}

print('Self time', self);
print('Total time', total);
