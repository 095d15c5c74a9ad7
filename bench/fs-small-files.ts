// humle fs small files: write and read 1 KB, 16 KB and 64 KB files (fs.writeFile / fs.readFile) from N concurrent
// in-process clients, beside the same work done "the datanode way": one local file per file in a plain directory tree,
// written with open + write + fsync + close, read with fs.promises.readFile.
//
//   node dist/bench/fs-small-files.js --engine sqlite|mysql [--mysql-url URL] --ops 100000 --clients 64 \
//     [--sizes 1024,16384,65536] [--max-mib 1024] [--time-limit 60]
//
// Files per size are capped at --max-mib of payload (so 64 KB runs write at most 16384 files with the default).
// Each client writes into its own directory; reads pick among the files its own writes created.
import { mkdirSync } from 'node:fs';
import { open as openFile, readFile as readLocal, writeFile as writeFileLocal } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { emitJson, environment, openStore, parallel, parseOptions, printHeader, selected, warmAndRun, type PhaseResult } from './harness.js';

async function main(): Promise<void> {
  const options = parseOptions({ sizes: { type: 'string', default: '1024,16384,65536' }, 'max-mib': { type: 'string', default: '1024' } });
  const sizes = String(options.extra.sizes)
    .split(',')
    .map((s) => Number(s));
  const maxBytes = Number(options.extra['max-mib']) * 2 ** 20;
  const store = await openStore(options);
  const { fs, scratch } = store;
  const C = options.clients;
  const env = environment(store);
  console.log(
    `humle fs small-file benchmark: engine=${options.engine} (${store.engineVersion}) clients=${C} ops/phase<=${options.ops} ` +
      `sizes=${sizes.join(',')} max-mib=${options.extra['max-mib']} time-limit=${options.timeLimit}s warm-up=${options.warmup} ` +
      `read-workers=${options.readWorkers}` +
      (options.engine === 'mysql' ? ` pool-size=${options.poolSize ?? 'default'}` : ''),
  );
  console.log(`data dir: ${store.dataDir}; local baseline dir: ${scratch}`);

  const results: PhaseResult[] = [];
  const ratios: Record<string, { write: number | null; read: number | null }> = {};
  for (const size of sizes) {
    const label = size % 1024 === 0 ? `${size / 1024}KB` : `${size}B`;
    const ops = Math.max(1, Math.min(options.ops, Math.floor(maxBytes / size)));
    const payload = randomBytes(size);
    const roots = ['/warm', '/bench'];
    const written = new Map<string, number[]>(roots.map((r) => [r, new Array<number>(C).fill(0)]));
    const localWritten = new Map<string, number[]>(roots.map((r) => [r, new Array<number>(C).fill(0)]));
    const local = (root: string) => join(scratch, `${root.slice(1)}-${label}`);
    for (const root of roots) {
      await parallel(C, C, (k) => fs.mkdirs(`${root}/s${label}/c${k}`));
      for (let k = 0; k < C; k++) mkdirSync(join(local(root), `c${k}`), { recursive: true });
    }
    const pick = (counts: number[], k: number, j: number): number => {
      const n = counts[k]!;
      if (n === 0) throw new Error(`client ${k} wrote no files`);
      return (j * 7919 + k) % n;
    };
    const check = (data: Buffer): void => {
      if (data.length !== size) throw new Error(`read ${data.length} bytes, expected ${size}`);
    };

    printHeader(`small files ${label}, ${options.engine}, ${C} clients, at most ${ops} files`);
    const byName: Record<string, PhaseResult> = {};
    const run = async (name: string, op: Parameters<typeof warmAndRun>[2], limit?: (root: string) => readonly number[]) => {
      if (!selected(options, name.split(' ')[0]!)) return;
      const r = await warmAndRun(options, `${name} ${label}`, op, { warmRoot: '/warm', root: '/bench', ops, perClientLimit: limit });
      r.note = `${name}, ${size} bytes`;
      results.push(r);
      byName[name] = r;
    };
    await run('humle-write', (root) => async (k, j) => {
      await fs.writeFile(`${root}/s${label}/c${k}/f${j}`, payload);
      written.get(root)![k] = j + 1;
    });
    // A read phase without its write phase reads files written here first (not measured).
    const prewrite = async (counts: Map<string, number[]>, write: (root: string, k: number, j: number) => Promise<void>) => {
      for (const root of roots) {
        const per = Math.ceil((root === '/warm' ? options.warmup : ops) / C);
        await parallel(C * per, C, (n) => write(root, n % C, Math.floor(n / C)));
        counts.get(root)!.fill(per);
      }
    };
    if (selected(options, 'humle-read') && !selected(options, 'humle-write')) {
      await prewrite(written, (root, k, j) => fs.writeFile(`${root}/s${label}/c${k}/f${j}`, payload).then(() => undefined));
    }
    await run('humle-read', (root) => async (k, j) => check(await fs.readFile(`${root}/s${label}/c${k}/f${pick(written.get(root)!, k, j)}`)));
    await run('local-write', (root) => async (k, j) => {
      const handle = await openFile(join(local(root), `c${k}`, `f${j}`), 'w');
      try {
        await handle.write(payload);
        await handle.sync();
      } finally {
        await handle.close();
      }
      localWritten.get(root)![k] = j + 1;
    });
    if (selected(options, 'local-read') && !selected(options, 'local-write')) {
      await prewrite(localWritten, async (root, k, j) => writeFileLocal(join(local(root), `c${k}`, `f${j}`), payload));
    }
    await run('local-read', (root) => async (k, j) => check(await readLocal(join(local(root), `c${k}`, `f${pick(localWritten.get(root)!, k, j)}`))));
    const ratio = (a: PhaseResult | undefined, b: PhaseResult | undefined) => (a && b && b.opsPerSec > 0 ? Math.round((a.opsPerSec / b.opsPerSec) * 100) / 100 : null);
    ratios[label] = { write: ratio(byName['humle-write'], byName['local-write']), read: ratio(byName['humle-read'], byName['local-read']) };
    console.log(`humle / local ops/s ratio, ${label}: write ${ratios[label]!.write ?? '-'}, read ${ratios[label]!.read ?? '-'}`);
  }

  emitJson(options, {
    bench: 'fs-small-files',
    engine: options.engine,
    clients: C,
    opsPerPhase: options.ops,
    maxMiB: Number(options.extra['max-mib']),
    timeLimit: options.timeLimit,
    warmup: options.warmup,
    readWorkers: options.readWorkers,
    poolSize: options.engine === 'mysql' ? (options.poolSize ?? 16) : undefined,
    env,
    results,
    ratios,
  });
  await store.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
