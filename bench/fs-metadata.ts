// humle fs metadata throughput, after HDFS's NNThroughputBenchmark: create, mkdirs, open, fileStatus, rename, delete
// (each measured on its own), listStatus, and a 70 % read / 30 % write mix, from N concurrent in-process async clients.
//
//   node dist/bench/fs-metadata.js --engine sqlite|mysql [--mysql-url URL] --ops 100000 --clients 64 [--time-limit 60]
//
// Each client works in its own directory (<root>/files/c<k>, ...) so no single directory is hot; `create-1dir` also
// measures all clients creating in one directory. Every measured phase runs after a warm-up of the same operation on
// a separate namespace (/warm). Phases stop at --ops operations or --time-limit seconds, whichever comes first.
import {
  emitJson,
  environment,
  openStore,
  parallel,
  parseOptions,
  printHeader,
  prng,
  selected,
  warmAndRun,
  type Op,
  type PhaseResult,
} from './harness.js';

const TINY = Buffer.from('humle-bench-1234'); // 16 bytes: "an empty/small file"
const LS_ENTRIES = 16;

async function main(): Promise<void> {
  const options = parseOptions();
  const store = await openStore(options);
  const { fs } = store;
  const C = options.clients;
  const env = environment(store);
  console.log(
    `humle fs metadata benchmark: engine=${options.engine} (${store.engineVersion}) clients=${C} ops/phase<=${options.ops} ` +
      `time-limit=${options.timeLimit}s warm-up=${options.warmup} read-workers=${options.readWorkers}` +
      (options.engine === 'mysql' ? ` pool-size=${options.poolSize ?? 'default'}` : ''),
  );
  console.log(`data dir: ${store.dataDir}`);

  const roots = ['/warm', '/bench'];
  // Files each client has created in <root>/files/c<k> (f0 .. f<n-1>), per root.
  const created = new Map<string, number[]>(roots.map((r) => [r, new Array<number>(C).fill(0)]));
  // Files a client made in the mix and may rename or delete, per root.
  const mixFiles = new Map<string, string[][]>(roots.map((r) => [r, Array.from({ length: C }, () => [])]));

  // ---- namespace setup (not measured) ----
  const t0 = Date.now();
  for (const root of roots) {
    await parallel(C, C, async (k) => {
      for (const sub of ['files', 'cc', 'dirs', 'ls', 'mix']) await fs.mkdirs(`${root}/${sub}/c${k}`);
    });
    await fs.mkdirs(`${root}/one`);
    await parallel(C * LS_ENTRIES, C, (n) => fs.writeFile(`${root}/ls/c${n % C}/e${Math.floor(n / C)}`, TINY));
  }
  // The read phases need files even when the create phase is not selected.
  if (!selected(options, 'create')) {
    for (const root of roots) {
      const per = Math.ceil((root === '/warm' ? options.warmup : Math.min(options.ops, 64_000)) / C);
      await parallel(C * per, C, (n) => fs.writeFile(`${root}/files/c${n % C}/f${Math.floor(n / C)}`, TINY));
      created.get(root)!.fill(per);
    }
  }
  console.log(`setup: ${Date.now() - t0} ms`);

  printHeader(`humle fs metadata, ${options.engine}, ${C} clients`);
  const results: PhaseResult[] = [];
  const run = async (name: string, op: (root: string) => Op, extra: { note?: string; ops?: number; perClientLimit?: (root: string) => readonly number[] } = {}) => {
    if (!selected(options, name)) return;
    results.push(await warmAndRun(options, name, op, { warmRoot: '/warm', root: '/bench', ...extra }));
  };
  const pick = (root: string, k: number, j: number): number => {
    const n = created.get(root)![k]!;
    if (n === 0) throw new Error(`client ${k} has no files to read under ${root}`);
    return (j * 7919 + k) % n;
  };

  await run(
    'create',
    (root) => async (k, j) => {
      await fs.writeFile(`${root}/files/c${k}/f${j}`, TINY);
      created.get(root)![k] = j + 1;
    },
    { note: `fs.writeFile of ${TINY.length} bytes, one directory per client` },
  );
  await run('create-1dir', (root) => async (_k, _j, i) => void (await fs.writeFile(`${root}/one/f${i}`, TINY)), {
    note: `fs.writeFile of ${TINY.length} bytes, all clients in one directory`,
  });
  await run(
    'create+close',
    (root) => async (k, j) => {
      const writer = await fs.create(`${root}/cc/c${k}/f${j}`);
      await writer.close();
    },
    { note: 'fs.create() then writer.close(), empty file: two transactions' },
  );
  await run('mkdirs', (root) => async (k, j) => void (await fs.mkdirs(`${root}/dirs/c${k}/d${j}`)), { note: 'one new directory below an existing one' });
  await run('open', (root) => async (k, j) => void (await fs.readFile(`${root}/files/c${k}/f${pick(root, k, j)}`)), {
    note: 'fs.readFile of a 16-byte file',
  });
  await run('fileStatus', (root) => async (k, j) => void (await fs.getFileStatus(`${root}/files/c${k}/f${pick(root, k, j)}`)), {
    note: 'fs.getFileStatus of a file',
  });
  await run('listStatus', (root) => async (k) => void (await fs.listStatus(`${root}/ls/c${k}`)), {
    note: `fs.listStatus of a directory of ${LS_ENTRIES} files`,
  });

  // 70 % reads, 30 % writes; each client has its own deterministic random stream.
  const rngs = new Map<string, (() => number)[]>(roots.map((r) => [r, Array.from({ length: C }, (_, k) => prng(k + 1 + r.length * 1000))]));
  let mixSeq = 0;
  await run(
    'mix',
    (root) => async (k, j) => {
      const r = rngs.get(root)![k]!();
      const mine = mixFiles.get(root)![k]!;
      if (r < 0.35) {
        await fs.getFileStatus(`${root}/files/c${k}/f${pick(root, k, j)}`);
        return 'fileStatus';
      }
      if (r < 0.6) {
        await fs.readFile(`${root}/files/c${k}/f${pick(root, k, j)}`);
        return 'open';
      }
      if (r < 0.7) {
        await fs.listStatus(`${root}/ls/c${k}`);
        return 'listStatus';
      }
      if (r < 0.9 && r >= 0.85) {
        await fs.mkdirs(`${root}/mix/c${k}/d${mixSeq++}`);
        return 'mkdirs';
      }
      if (r >= 0.9 && mine.length > 0) {
        if (r < 0.95) {
          const at = Math.floor(r * 7919) % mine.length;
          const to = `${root}/mix/c${k}/m${mixSeq++}`;
          const from = mine[at]!;
          mine[at] = to;
          await fs.rename(from, to);
          return 'rename';
        }
        const victim = mine.pop()!;
        await fs.delete(victim);
        return 'delete';
      }
      const path = `${root}/mix/c${k}/n${mixSeq++}`;
      mine.push(path);
      await fs.writeFile(path, TINY);
      return 'create';
    },
    { note: 'fileStatus 35 %, open 25 %, listStatus 10 %; create 15 %, mkdirs 5 %, rename 5 %, delete 5 %' },
  );

  // Rename f<j> to r<j>; delete then removes the renamed files first, then any left with their old name.
  const renamed = new Map<string, number[]>(roots.map((r) => [r, new Array<number>(C).fill(0)]));
  const total = (root: string) => created.get(root)!.reduce((a, b) => a + b, 0);
  await run(
    'rename',
    (root) => async (k, j) => {
      await fs.rename(`${root}/files/c${k}/f${j}`, `${root}/files/c${k}/r${j}`);
      renamed.get(root)![k] = j + 1;
    },
    { note: 'a file to a new name in its directory', ops: Math.min(options.ops, total('/bench')), perClientLimit: (root) => created.get(root)! },
  );
  await run(
    'delete',
    (root) => async (k, j) => {
      const name = j < renamed.get(root)![k]! ? `r${j}` : `f${j}`;
      if (!(await fs.delete(`${root}/files/c${k}/${name}`))) throw new Error(`nothing deleted at ${root}/files/c${k}/${name}`);
    },
    { note: 'a file', ops: Math.min(options.ops, total('/bench')), perClientLimit: (root) => created.get(root)! },
  );

  emitJson(options, {
    bench: 'fs-metadata',
    engine: options.engine,
    clients: C,
    opsPerPhase: options.ops,
    timeLimit: options.timeLimit,
    warmup: options.warmup,
    readWorkers: options.readWorkers,
    poolSize: options.engine === 'mysql' ? (options.poolSize ?? 16) : undefined,
    env,
    results,
  });
  await store.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
