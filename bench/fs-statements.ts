// Counts the database statements (SQLite statement executions, or MySQL round trips) that one humle fs operation
// costs, by running each operation one at a time on a small namespace. Not a throughput benchmark: it explains one.
//
//   node dist/bench/fs-statements.js --engine sqlite|mysql [--mysql-url URL] [--ops 200]
//
// On SQLite the count includes BEGIN and COMMIT (run alone, each operation is its own group commit; under
// concurrency a batch shares them and each unit adds SAVEPOINT and RELEASE instead). On MySQL it includes START
// TRANSACTION and COMMIT of write units, and the two session settings each new pooled connection runs once.
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { emitJson, openStore, parseOptions } from './harness.js';

let count = 0;

// Count every execution of a prepared SQLite statement.
type AnyFn = (...args: unknown[]) => unknown;
const proto = Database.prototype as unknown as { prepare: AnyFn };
const originalPrepare = proto.prepare;
proto.prepare = function (this: unknown, ...args: unknown[]) {
  const statement = originalPrepare.apply(this, args) as Record<string, AnyFn>;
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = statement[method]!.bind(statement);
    statement[method] = (...a: unknown[]) => {
      count++;
      return original(...a);
    };
  }
  return statement;
};
// Count every MySQL statement sent (execute: prepared; query: text).
const promiseConnection = (mysql as unknown as { PromiseConnection: { prototype: Record<string, AnyFn> } }).PromiseConnection.prototype;
for (const method of ['execute', 'query']) {
  const original = promiseConnection[method]!;
  promiseConnection[method] = function (this: unknown, ...a: unknown[]) {
    count++;
    return original.apply(this, a);
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const store = await openStore(options);
  const { fs } = store;
  const n = Math.min(options.ops, 10_000);
  const dirs = 4;
  const tiny = Buffer.from('humle-bench-1234');
  for (let k = 0; k < dirs; k++) {
    await fs.mkdirs(`/b/files/c${k}`);
    await fs.mkdirs(`/b/ls/c${k}`);
    for (let e = 0; e < 16; e++) await fs.writeFile(`/b/ls/c${k}/e${e}`, tiny);
  }
  // Warm the statement caches and pool connections.
  await fs.writeFile('/b/files/c0/warm', tiny);
  await fs.getFileStatus('/b/files/c0/warm');
  await fs.readFile('/b/files/c0/warm');

  const results: { op: string; statementsPerOp: number }[] = [];
  const measure = async (op: string, fn: (j: number) => Promise<unknown>) => {
    const before = count;
    for (let j = 0; j < n; j++) await fn(j);
    const perOp = (count - before) / n;
    results.push({ op, statementsPerOp: perOp });
    console.log(`${op.padEnd(28)} ${perOp.toFixed(2).padStart(6)} statements per operation`);
  };
  const at = (j: number, name: string) => `/b/files/c${j % dirs}/${name}${j}`;
  console.log(`humle fs statements per operation: engine=${options.engine} (${store.engineVersion}), ${n} operations each, one at a time\n`);
  await measure('create (writeFile 16 B)', (j) => fs.writeFile(at(j, 'f'), tiny));
  await measure('create+close', async (j) => (await fs.create(at(j, 'cc'))).close());
  await measure('mkdirs', (j) => fs.mkdirs(at(j, 'd')));
  await measure('open (readFile 16 B)', (j) => fs.readFile(at(j, 'f')));
  await measure('fileStatus', (j) => fs.getFileStatus(at(j, 'f')));
  await measure('listStatus (16 entries)', (j) => fs.listStatus(`/b/ls/c${j % dirs}`));
  await measure('rename', (j) => fs.rename(at(j, 'f'), at(j, 'r')));
  await measure('delete', (j) => fs.delete(at(j, 'r')));
  await measure('writeFile 16 KB', (j) => fs.writeFile(at(j, 's'), Buffer.alloc(16384, 1)));
  await measure('readFile 16 KB', (j) => fs.readFile(at(j, 's')));
  await measure('writeFile 64 KB', (j) => fs.writeFile(at(j, 'l'), Buffer.alloc(65536, 1)));
  await measure('readFile 64 KB', (j) => fs.readFile(at(j, 'l')));
  emitJson(options, { bench: 'fs-statements', engine: options.engine, opsPerMeasure: n, results });
  await store.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
