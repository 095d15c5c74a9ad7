// Turns the JSON lines of benchmark runs (bench/run-all.sh writes them to results.jsonl) into Markdown tables: per
// benchmark, engine and configuration, each phase's median ops/s over the repeats (with the range) and its median
// p50 / p99 latency, plus the small-file humle / local ratios. BENCHMARKS.md quotes these tables.
//
//   node dist/bench/summarize.js bench/results/<date>/results.jsonl
import { readFileSync } from 'node:fs';

interface Summary {
  ops: number;
  p50: number;
  p99: number;
  opsPerSec: number;
}

interface Result extends Summary {
  phase: string;
  errors: number;
  seconds: number;
  note?: string;
  byKind?: Record<string, Summary>;
}

interface Run {
  bench: string;
  engine: string;
  clients: number;
  readWorkers: number;
  poolSize?: number;
  results: Result[];
  ratios?: Record<string, { write: number | null; read: number | null }>;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: summarize RESULTS.jsonl');
  process.exit(2);
}
const runs = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l) as Run)
  .filter((r) => r.bench === 'fs-metadata' || r.bench === 'fs-small-files');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number) => n.toFixed(2);

const groups = new Map<string, Run[]>();
for (const run of runs) {
  const key = `${run.bench} | ${run.engine} | read workers ${run.readWorkers}${run.engine === 'mysql' ? ` | pool ${run.poolSize ?? 16}` : ''} | ${run.clients} clients`;
  let list = groups.get(key);
  if (!list) groups.set(key, (list = []));
  list.push(run);
}

for (const [key, list] of groups) {
  console.log(`\n### ${key} (${list.length} run${list.length === 1 ? '' : 's'})\n`);
  console.log('| phase | ops/s (median) | ops/s (min – max) | p50 ms | p99 ms | ops per run | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const phases = [...new Set(list.flatMap((r) => r.results.map((x) => x.phase)))];
  for (const phase of phases) {
    const rs = list.map((r) => r.results.find((x) => x.phase === phase)).filter((x): x is Result => x !== undefined);
    const rates = rs.map((r) => r.opsPerSec);
    console.log(
      `| ${phase} | ${fmtInt(median(rates))} | ${fmtInt(Math.min(...rates))} – ${fmtInt(Math.max(...rates))} | ${fmtMs(median(rs.map((r) => r.p50)))} | ` +
        `${fmtMs(median(rs.map((r) => r.p99)))} | ${[...new Set(rs.map((r) => r.ops))].join(' / ')} | ${rs.reduce((a, r) => a + r.errors, 0)} |`,
    );
    const kinds = [...new Set(rs.flatMap((r) => Object.keys(r.byKind ?? {})))];
    for (const kind of kinds) {
      const ks = rs.map((r) => r.byKind?.[kind]).filter((x): x is Summary => x !== undefined);
      const kr = ks.map((k) => k.opsPerSec);
      console.log(
        `| &nbsp;&nbsp;${phase}: ${kind} | ${fmtInt(median(kr))} | ${fmtInt(Math.min(...kr))} – ${fmtInt(Math.max(...kr))} | ${fmtMs(median(ks.map((k) => k.p50)))} | ` +
          `${fmtMs(median(ks.map((k) => k.p99)))} | ${[...new Set(ks.map((k) => k.ops))].join(' / ')} | |`,
      );
    }
  }
  const ratioRuns = list.filter((r) => r.ratios);
  if (ratioRuns.length > 0) {
    console.log('\n| size | humle / local, writes (median of runs) | humle / local, reads (median of runs) |');
    console.log('|---|---:|---:|');
    for (const size of Object.keys(ratioRuns[0]!.ratios!)) {
      const w = ratioRuns.map((r) => r.ratios![size]?.write).filter((x): x is number => typeof x === 'number');
      const rd = ratioRuns.map((r) => r.ratios![size]?.read).filter((x): x is number => typeof x === 'number');
      console.log(`| ${size} | ${w.length ? median(w).toFixed(2) : '-'} | ${rd.length ? median(rd).toFixed(2) : '-'} |`);
    }
  }
}
