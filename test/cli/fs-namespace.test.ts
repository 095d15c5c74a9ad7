import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCli, snapshot } from './cli-harness.js';

interface Status {
  path: string;
  name: string;
  type: 'FILE' | 'DIRECTORY';
  length: number;
  owner: string;
  permissionString: string;
}

describeCli('humle fs ls, mkdir, rm, du, count, stat', (withCli) => {
  test('ls prints hdfs dfs -ls lines under a "Found N items" header; -R, -d, --json, and goes on past a bad path', () =>
    withCli(async (cli) => {
      await cli.withFs(async (fs) => {
        await fs.mkdirs('/a/b/c');
        await fs.mkdirs('/a/empty');
        await fs.writeFile('/a/file.txt', 'hello');
      });
      const ls = await cli.ok(['fs', 'ls', '/a']);
      const lines = ls.stdout.trimEnd().split('\n');
      assert.equal(lines[0], 'Found 3 items');
      assert.match(lines[1]!, /^drwxr-xr-x {3}- hdfs supergroup {10}0 \d{4}-\d\d-\d\d \d\d:\d\d \/a\/b$/);
      assert.match(lines[2]!, /^drwxr-xr-x {3}- hdfs supergroup {10}0 \d{4}-\d\d-\d\d \d\d:\d\d \/a\/empty$/);
      assert.match(lines[3]!, /^-rw-r--r-- {3}1 hdfs supergroup {10}5 \d{4}-\d\d-\d\d \d\d:\d\d \/a\/file\.txt$/);

      const recursive = await cli.ok(['fs', 'ls', '-R', '/a']);
      assert.deepEqual(
        recursive.stdout.trimEnd().split('\n').map((l) => l.split(' ').pop()),
        ['/a/b', '/a/b/c', '/a/empty', '/a/file.txt'],
        '-R prints each directory followed by its contents, without headers',
      );

      const self = await cli.json<Status[]>(['fs', 'ls', '-d', '/a', '/a/file.txt']);
      assert.deepEqual(self.map((s) => [s.path, s.type, s.length, s.owner, s.permissionString]), [
        ['/a', 'DIRECTORY', 0, 'hdfs', 'drwxr-xr-x'],
        ['/a/file.txt', 'FILE', 5, 'hdfs', '-rw-r--r--'],
      ]);

      // One bad path among good ones: the good ones are listed, the exit code is the bad one's.
      const mixed = await cli.run(['--json', 'fs', 'ls', '/a/b', '/missing']);
      assert.equal(mixed.code, 3);
      assert.deepEqual((JSON.parse(mixed.stdout) as Status[]).map((s) => s.path), ['/a/b/c']);
      assert.deepEqual(JSON.parse(mixed.stderr), { error: { code: 'FS_NOT_FOUND', message: 'File does not exist: /missing', details: { path: '/missing' } } });
    }));

  test('ls pages through a directory larger than one page', () =>
    withCli(async (cli) => {
      const names = Array.from({ length: 1100 }, (_, i) => `/many/d${String(i).padStart(4, '0')}`);
      await cli.ok(['fs', 'mkdir', '-p', ...names]);
      const ls = await cli.ok(['fs', 'ls', '/many']);
      const lines = ls.stdout.trimEnd().split('\n');
      assert.equal(lines[0], 'Found 1100 items');
      assert.deepEqual(lines.slice(1).map((l) => l.split(' ').pop()), names);
    }));

  test('mkdir without -p wants the parent and refuses an existing path; -p makes parents; relative paths are in the home', () =>
    withCli(async (cli) => {
      await cli.ok(['fs', 'mkdir', '/top']);
      const before = await snapshot(cli);
      assert.equal((await cli.fails(3, ['fs', 'mkdir', '/no/such/parent'])).code, 'FS_NOT_FOUND');
      assert.equal((await cli.fails(5, ['fs', 'mkdir', '/top'])).code, 'FS_ALREADY_EXISTS');
      assert.equal((await cli.fails(2, ['fs', 'mkdir', '/bad//path'])).code, 'FS_INVALID_PATH');
      assert.equal(await snapshot(cli), before, 'refused mkdirs create nothing');
      const made = await cli.json(['fs', 'mkdir', '-p', '/no/such/parent', '/top', 'projects/x']);
      assert.deepEqual(made, [{ path: '/no/such/parent' }, { path: '/top' }, { path: '/user/hdfs/projects/x' }]);
    }));

  test('rm deletes files, directories only with -r, and -f ignores missing paths; rmdir wants empty', () =>
    withCli(async (cli) => {
      await cli.withFs(async (fs) => {
        await fs.mkdirs('/empty');
        await fs.writeFile('/d/sub/f', 'x');
        await fs.writeFile('/f', 'y');
      });
      const before = await snapshot(cli);
      assert.equal((await cli.fails(1, ['fs', 'rm', '/d'])).code, 'FS_IS_DIRECTORY');
      assert.equal((await cli.fails(3, ['fs', 'rm', '/missing'])).code, 'FS_NOT_FOUND');
      assert.equal((await cli.fails(1, ['fs', 'rmdir', '/d'])).code, 'FS_DIRECTORY_NOT_EMPTY');
      assert.equal(await snapshot(cli), before, 'refused deletes delete nothing');

      const rm = await cli.ok(['fs', 'rm', '/f', '/missing', '-f']);
      assert.equal(rm.stdout, 'Deleted /f\n');
      assert.deepEqual(await cli.json(['fs', 'rm', '-rf', '/d', '/gone']), [
        { path: '/d', deleted: true },
        { path: '/gone', deleted: false },
      ]);
      await cli.ok(['fs', 'rmdir', '/empty']);
      assert.equal(await snapshot(cli), '', 'everything is gone');
    }));

  test('du, count and stat report sizes, counts and formatted fields', () =>
    withCli(async (cli) => {
      await cli.withFs(async (fs) => {
        await fs.mkdirs('/p/r');
        await fs.writeFile('/p/a', Buffer.alloc(10));
        await fs.writeFile('/p/q/b', Buffer.alloc(2000));
      });
      assert.equal((await cli.ok(['fs', 'du', '/p'])).stdout, '10    10    /p/a\n2000  2000  /p/q\n0     0     /p/r\n');
      assert.equal((await cli.ok(['fs', 'du', '-s', '-h', '/p', '/p/a'])).stdout, '2.0 K  2.0 K  /p\n10     10     /p/a\n');

      const count = await cli.ok(['fs', 'count', '-q', '-v', '/p']);
      assert.equal(
        count.stdout,
        `${'QUOTA'.padStart(12)} ${'REM_QUOTA'.padStart(15)} ${'SPACE_QUOTA'.padStart(15)} ${'REM_SPACE_QUOTA'.padStart(15)} ` +
          `${'DIR_COUNT'.padStart(12)} ${'FILE_COUNT'.padStart(12)} ${'CONTENT_SIZE'.padStart(18)} PATHNAME\n` +
          `${'none'.padStart(12)} ${'inf'.padStart(15)} ${'none'.padStart(15)} ${'inf'.padStart(15)} ` +
          `${'3'.padStart(12)} ${'2'.padStart(12)} ${'2010'.padStart(18)} /p\n`,
      );

      const stat = await cli.ok(['fs', 'stat', '%n|%b|%r|%u|%g|%F|%a|%A|%o|%Y %y|%%', '/p/q/b', '/p']);
      const [file, dir] = stat.stdout.trimEnd().split('\n');
      const [ms, date] = file!.split('|')[9]!.split(/ (.*)/);
      assert.equal(date, new Date(Number(ms)).toISOString().slice(0, 19).replace('T', ' '), '%y is %Y in UTC');
      assert.equal(file!.replace(/\|\d+ [^|]+\|/, '|T|'), 'b|2000|1|hdfs|supergroup|regular file|644|rw-r--r--|134217728|T|%');
      assert.equal(dir!.replace(/\|\d+ [^|]+\|/, '|T|'), 'p|0|0|hdfs|supergroup|directory|755|rwxr-xr-x|0|T|%');
      const plain = JSON.parse((await cli.ok(['fs', 'stat', '/p/a'])).stdout) as Status & { permission: string };
      assert.equal(plain.path, '/p/a');
      assert.equal(plain.permission, '0644');
    }));
});
