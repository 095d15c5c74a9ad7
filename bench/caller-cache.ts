// What the RonDB routes pay per request to know their cached API key callers are not stale
// (src/server/rondb/caller-cache.ts): one read of the access generation row, shared by the requests that arrive
// while one runs. Measured in process, without HTTP, so that the figure is the check's own and not the machine's
// load: --requests calls of CallerCache.caller with one cached key from --concurrency callers at once, their wall
// time and this process's CPU time per call; beside them a full verification per call (Platform.authenticate: the
// key row, a sha256, the memberships), which is what the cache saves.
//
//   node dist/bench/caller-cache.js [--engine sqlite|mysql] [--mysql-url URL] [--requests 50000] [--concurrency 50]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Humle } from '../src/humle.js';
import { CallerCache } from '../src/server/rondb/caller-cache.js';
import { createBenchDatabase } from './harness.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    'mysql-url': { type: 'string', default: process.env.HUMLE_TEST_MYSQL_URL },
    requests: { type: 'string', default: '50000' },
    concurrency: { type: 'string', default: '50' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

/** `requests` calls of `call`, `concurrency` at a time: wall and CPU microseconds per call. */
async function measure(call: () => Promise<unknown>): Promise<{ wallUs: number; cpuUs: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) await call();
    }),
  );
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallUs: (wall * 1000) / requests, cpuUs: (used.user + used.system) / requests };
}

const dataDir = mkdtempSync(join(tmpdir(), 'humle-bench-caller-cache-'));
const database = values.engine === 'mysql' ? await createBenchDatabase(values['mysql-url']!) : undefined;
const humle = await Humle.open({ dataDir, engine: database === undefined ? { kind: 'sqlite' } : { kind: 'mysql', url: database.url }, user: 'bench' });
try {
  const platform = humle.platform;
  await platform.users.ensure('bob');
  await platform.createProject('alpha', 'bob');
  const key = (await platform.apiKeys.create('bob', 'main', ['featurestore:read'])).key;
  const cache = new CallerCache(platform);
  await cache.caller(key);
  for (const [name, call] of [
    ['cached caller (a generation read per request, shared)', () => cache.caller(key)],
    ['generation read alone, one per call', () => platform.accessGeneration()],
    ['full verification per request (no cache)', () => platform.authenticate(key)],
  ] as const) {
    await measure(call); // warm-up
    const { wallUs, cpuUs } = await measure(call);
    console.log(`${values.engine}\t${name}\t${(1e6 / wallUs).toFixed(0)} calls/s\twall ${wallUs.toFixed(1)} µs/call\tCPU ${cpuUs.toFixed(1)} µs/call`);
  }
} finally {
  await humle.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
