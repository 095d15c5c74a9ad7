import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeCli, snapshot } from './cli-harness.js';

interface Transfer {
  source: string;
  path: string;
  files: number;
  directories: number;
  bytes: number;
}

describeCli('humle fs put, get, cat, cp, mv', (withCli) => {
  test('a multi-block file round-trips through put, cat and get byte for byte', () =>
    withCli(async (cli) => {
      const data = randomBytes(3 * 1024 * 1024 + 123);
      const src = join(cli.local, 'big.bin');
      writeFileSync(src, data);
      const [put] = await cli.json<Transfer[]>(['fs', 'put', '--block-size', '1m', src, '/big.bin']);
      assert.deepEqual(put, { source: src, path: '/big.bin', files: 1, directories: 0, bytes: data.length });
      const status = await cli.withFs((fs) => fs.getFileStatus('/big.bin'));
      assert.equal(status.length, data.length);
      assert.equal(status.blockSize, 1024 * 1024, 'four blocks of 1 MiB');
      assert.equal(status.storage, 'blocks');

      const cat = await cli.ok(['fs', 'cat', '/big.bin']);
      assert.ok(cat.stdoutBytes.equals(data), 'cat writes the exact bytes');
      assert.equal(cat.stderr, '', 'no progress bar when stderr is not a terminal');

      const dst = join(cli.local, 'back.bin');
      const [got] = await cli.json<Transfer[]>(['fs', 'get', '/big.bin', dst]);
      assert.deepEqual(got, { source: '/big.bin', path: dst, files: 1, directories: 0, bytes: data.length });
      assert.ok(readFileSync(dst).equals(data), 'get writes the exact bytes');
      assert.deepEqual(readdirSync(cli.local).sort(), ['back.bin', 'big.bin'], 'no temporary file is left behind');
    }));

  test('put: several sources into a directory, stdin, refusing an existing file unless -f; cat of several files', () =>
    withCli(async (cli) => {
      writeFileSync(join(cli.local, 'a.txt'), 'alpha\n');
      writeFileSync(join(cli.local, 'b.txt'), 'beta\n');
      await cli.withFs((fs) => fs.mkdirs('/in'));
      await cli.ok(['fs', 'put', join(cli.local, 'a.txt'), join(cli.local, 'b.txt'), '/in']);
      assert.equal((await cli.ok(['fs', 'cat', '/in/a.txt', '/in/b.txt'])).stdout, 'alpha\nbeta\n');

      const before = await snapshot(cli);
      assert.equal((await cli.fails(5, ['fs', 'put', join(cli.local, 'b.txt'), '/in/a.txt'])).code, 'FS_ALREADY_EXISTS');
      // A missing parent is not created; a missing local file is ENOENT.
      assert.equal((await cli.fails(3, ['fs', 'put', join(cli.local, 'a.txt'), '/nodir/a.txt'])).code, 'FS_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fs', 'put', join(cli.local, 'missing.txt'), '/in'])).code, 'ENOENT');
      assert.equal(await snapshot(cli), before, 'refused puts change and add nothing');

      await cli.ok(['fs', 'put', '-f', '-', '/in/a.txt'], { input: 'from stdin' });
      const cat = await cli.json<{ path: string; length: number; base64: string }[]>(['fs', 'cat', '/in/a.txt']);
      assert.deepEqual(cat, [{ path: '/in/a.txt', length: 10, base64: Buffer.from('from stdin').toString('base64') }], '-f overwrote');
    }));

  test('Ctrl-C during put stops it with exit code 130 and leaves neither the file nor a temporary file', () =>
    withCli(async (cli) => {
      await cli.withFs(async () => undefined); // formatted before the child starts, so the two never race to migrate
      const { child, done } = cli.start(['fs', 'put', '-', '/stopped']);
      child.stdin.write(Buffer.alloc(100 * 1024)); // past the small-file tier: the writer is filling a block
      for (let i = 0; !(await cli.withFs((fs) => fs.exists('/stopped._COPYING_'))); i++) {
        assert.ok(i < 400, 'the transfer has started');
        await sleep(25);
      }
      child.kill('SIGINT');
      const run = await done;
      assert.equal(run.code, 130, run.stderr);
      assert.equal(run.stderr, 'humle: interrupted by SIGINT\n');
      assert.equal(await snapshot(cli), '', 'nothing is left in the namespace');
    }));

  test('put -p keeps times and mode; directories go up and come back down whole; get refuses to overwrite', () =>
    withCli(async (cli) => {
      const tree = join(cli.local, 'tree');
      mkdirSync(join(tree, 'sub'), { recursive: true });
      writeFileSync(join(tree, 'one'), '1');
      writeFileSync(join(tree, 'sub', 'two'), '22', { mode: 0o600 });
      const [put] = await cli.json<Transfer[]>(['fs', 'put', '-p', tree, '/']);
      assert.deepEqual(put, { source: tree, path: '/tree', files: 2, directories: 2, bytes: 3 });
      const two = await cli.withFs((fs) => fs.getFileStatus('/tree/sub/two'));
      assert.equal(two.permission, 0o600);
      assert.equal(two.modificationTime, Math.floor(statSync(join(tree, 'sub', 'two')).mtimeMs));

      const back = join(cli.local, 'back');
      mkdirSync(back);
      await cli.ok(['fs', 'get', '/tree', back]);
      assert.equal(readFileSync(join(back, 'tree', 'one'), 'utf8'), '1');
      assert.equal(readFileSync(join(back, 'tree', 'sub', 'two'), 'utf8'), '22');

      assert.equal((await cli.fails(5, ['fs', 'get', '/tree/one', join(back, 'tree', 'sub', 'two')])).code, 'EEXIST');
      assert.equal(readFileSync(join(back, 'tree', 'sub', 'two'), 'utf8'), '22', 'a refused get leaves the local file alone');
      await cli.ok(['fs', 'get', '-f', '/tree/one', join(back, 'tree', 'sub', 'two')]);
      assert.equal(readFileSync(join(back, 'tree', 'sub', 'two'), 'utf8'), '1', 'get -f overwrites');
    }));

  test('mv moves into an existing directory, renames otherwise, and never overwrites', () =>
    withCli(async (cli) => {
      await cli.withFs(async (fs) => {
        await fs.mkdirs('/d2');
        await fs.writeFile('/d1/f', 'f');
        await fs.writeFile('/d1/g', 'g');
      });
      const moved = await cli.json<{ source: string; path: string }[]>(['fs', 'mv', '/d1/f', '/d1/g', '/d2']);
      assert.deepEqual(moved, [
        { source: '/d1/f', path: '/d2/f' },
        { source: '/d1/g', path: '/d2/g' },
      ]);
      await cli.ok(['fs', 'mv', '/d2/f', '/d2/renamed']);

      const before = await snapshot(cli);
      assert.equal((await cli.fails(5, ['fs', 'mv', '/d2/renamed', '/d2/g'])).code, 'FS_ALREADY_EXISTS');
      assert.equal((await cli.fails(1, ['fs', 'mv', '/d1', '/d1/inside'])).code, 'FS_INVALID_OPERATION');
      assert.equal(await snapshot(cli), before, 'refused moves change nothing');
      assert.deepEqual(await cli.withFs(async (fs) => [(await fs.readFile('/d2/g')).toString(), (await fs.readFile('/d2/renamed')).toString()]), ['g', 'f']);
    }));

  test('cp copies files and whole directories by streaming; existing files need -f', () =>
    withCli(async (cli) => {
      const big = randomBytes(200 * 1024);
      await cli.withFs(async (fs) => {
        await fs.mkdirs('/src/deep/er');
        await fs.writeFile('/src/deep/big', big);
        await fs.writeFile('/src/small', 'small');
      });
      const [copy] = await cli.json<Transfer[]>(['fs', 'cp', '/src', '/dst']);
      assert.deepEqual(copy, { source: '/src', path: '/dst', files: 2, directories: 3, bytes: big.length + 5 });
      await cli.withFs(async (fs) => {
        assert.ok((await fs.readFile('/dst/deep/big')).equals(big));
        assert.equal((await fs.readFile('/dst/small')).toString(), 'small');
        assert.equal((await fs.listStatus('/dst/deep')).entries.map((e) => e.name).join(), 'big,er');
        await fs.writeFile('/src/small', 'changed', { overwrite: true });
      });

      const before = await snapshot(cli);
      assert.equal((await cli.fails(5, ['fs', 'cp', '/src/small', '/dst'])).code, 'FS_ALREADY_EXISTS');
      assert.equal((await cli.fails(1, ['fs', 'cp', '/src', '/src/deep'])).code, 'FS_INVALID_OPERATION');
      assert.equal(await snapshot(cli), before, 'refused copies change nothing');
      await cli.ok(['fs', 'cp', '-f', '/src/small', '/dst']);
      assert.equal(await cli.withFs(async (fs) => (await fs.readFile('/dst/small')).toString()), 'changed');
    }));
});
