import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { demoSetup, humle, ROOT, runPython, runShell, runTypeScript, TSCONFIG, type ExampleEnv } from './example-runner.js';
import { readmeBlocks, RUNNABLE_LANGS, type ReadmeBlock, type ServerWorld } from './readme-blocks.js';

// The README's examples, run as written (see example-runner.ts for how, and readme-blocks.ts for the markers a block
// that needs a server or cannot run carries), so that they stay true: TypeScript, shell lines (humle, curl) and
// Python, each block in README order. Blocks that run locally get a fresh folder and data directory each; blocks of
// a server world share that world's data directory and server, in README order.

const allBlocks = readmeBlocks(join(ROOT, 'README.md'));
const blocks = allBlocks.filter((b) => RUNNABLE_LANGS.has(b.lang));
const pythonSkip = process.env.HUMLE_SKIP_PYTHON === '1' ? 'HUMLE_SKIP_PYTHON=1: Python examples do not run' : false;

function title(block: ReadmeBlock): string {
  const first = block.code.split('\n').find((l) => l.trim() !== '' && !l.startsWith('import ')) ?? '';
  return `README.md:${block.line} ${block.lang}: ${first.trim().slice(0, 70)}`;
}

function runBlock(block: ReadmeBlock, env: ExampleEnv) {
  if (block.lang === 'ts') return runTypeScript(block.code, env);
  if (block.lang === 'python') return runPython(block.code, env);
  return runShell(block.code, env);
}

interface World {
  env: ExampleEnv;
  server: ServerProcess;
}

/** A data directory and a server on it, made ready for the world's examples. */
async function openWorld(world: ServerWorld): Promise<World> {
  const dataDir = mkdtempSync(join(tmpdir(), `humle-readme-${world}-`));
  let key: string;
  if (world === 'demo') {
    // What `npm start` makes, by its own setup script.
    const printed = /^API key: (\S+)$/m.exec(await demoSetup(dataDir));
    assert.ok(printed, 'the demo setup prints its key');
    key = printed[1]!;
  } else {
    // "humle project create fraud --owner alice", as the REST examples say; bob exists (a member of it).
    await humle(dataDir, ['project', 'create', 'fraud', '--owner', 'alice']);
    await humle(dataDir, ['project', 'add-member', 'fraud', 'bob', '--role', 'data_scientist']);
    key = (await humle(dataDir, ['--user', 'alice', 'apikey', 'create', '--name', 'readme'])).trim();
  }
  const server = await startServerProcess({ dataDir, dbUrl: 'sqlite' });
  return { server, env: { dataDir, port: server.port, vars: { KEY: key, HUMLE_API_KEY: key, HUMLE_URL: server.url } } };
}

describe('README examples that run locally', { concurrency: 2 }, () => {
  for (const block of blocks) {
    if (block.run.kind === 'server') continue;
    const skip = block.run.kind === 'skip' ? block.run.reason : block.lang === 'python' ? pythonSkip : false;
    test(title(block), { skip, timeout: 300_000 }, async () => {
      assert.notEqual(block.lang, 'python', `README.md:${block.line}: a Python example runs against a server: mark it <!-- example: server demo|fraud -->`);
      const dataDir = mkdtempSync(join(tmpdir(), 'humle-readme-data-'));
      try {
        await runBlock(block, { dataDir });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});

for (const world of ['demo', 'fraud'] as const) {
  describe(`README examples against a server (${world})`, { concurrency: 1 }, () => {
    let opened: Promise<World> | undefined;
    const open = () => (opened ??= openWorld(world));
    after(async () => {
      if (opened === undefined) return;
      const { server, env } = await opened;
      await server.stop();
      rmSync(env.dataDir, { recursive: true, force: true });
    });
    for (const block of blocks) {
      if (block.run.kind !== 'server' || block.run.world !== world) continue;
      test(title(block), { skip: block.lang === 'python' ? pythonSkip : false, timeout: 600_000 }, async () => {
        await runBlock(block, (await open()).env);
      });
    }
  });
}

test('every runnable README block is run, marked for a server, or skipped with a reason', () => {
  for (const block of blocks) {
    if (block.run.kind === 'skip') assert.ok(block.run.reason.length > 10, `README.md:${block.line}: say why it is skipped`);
  }
  assert.ok(blocks.filter((b) => b.run.kind !== 'skip').length >= 15, 'most examples run');
});

test('the tsconfig.json the README gives is the one the TypeScript examples are compiled with', () => {
  const given = allBlocks.filter((b) => b.lang === 'json' && b.code.includes('"compilerOptions"'));
  assert.equal(given.length, 1, 'one tsconfig.json in the README');
  assert.deepEqual(JSON.parse(given[0]!.code), TSCONFIG);
});
