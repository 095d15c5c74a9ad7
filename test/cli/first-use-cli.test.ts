import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCli, snapshot } from './cli-harness.js';

// A new user's first commands: with HUMLE_URL exported for the other commands, in a fresh data directory, and with
// --json on a path that is not there.

describeCli('humle fs on first use', (withCli) => {
  test('with HUMLE_URL set, humle fs refuses with a usage error naming the server and what to do, and changes nothing', () =>
    withCli(async (cli) => {
      await cli.withFs((fs) => fs.mkdirs('/data'));
      const before = await snapshot(cli);
      const env = { HUMLE_URL: 'http://127.0.0.1:9', HUMLE_API_KEY: 'some.key' };
      for (const args of [['fs', 'ls', '/'], ['fs', 'mkdir', '/made'], ['--json', 'fs', 'ls', '/']]) {
        const run = await cli.run(args, { env });
        assert.equal(run.code, 2, `humle ${args.join(' ')}: ${run.stdout}${run.stderr}`);
        assert.equal(run.stdout, '', 'no listing of the data directory');
        assert.match(run.stderr, /HUMLE_URL names http:\/\/127\.0\.0\.1:9/);
        assert.match(run.stderr, /HUMLE_URL= humle fs/);
        assert.match(run.stderr, /webhdfs\/v1/);
      }
      const flag = await cli.run(['--url', 'http://127.0.0.1:9', 'fs', 'ls', '/']);
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /leave out --url/);
      // An empty HUMLE_URL is no server: the data directory, as the message says.
      assert.match((await cli.ok(['fs', 'ls', '/'], { env: { HUMLE_URL: '' } })).stdout, /\/data$/m);
      assert.equal(await snapshot(cli), before);
    }));

  test('humle fs ls without a path in a fresh data directory says the home directory is missing and how to make it', () =>
    withCli(async (cli) => {
      const missing = await cli.run(['fs', 'ls']);
      assert.equal(missing.code, 3, missing.stderr);
      assert.equal(missing.stdout, '');
      assert.match(missing.stderr, /File does not exist: \/user\/hdfs: your home directory \/user\/hdfs does not exist/);
      assert.match(missing.stderr, /humle fs mkdir -p \/user\/hdfs/);
      const report = await cli.fails(3, ['fs', 'put', '-', 'notes.txt'], { input: 'x' });
      assert.equal(report.code, 'FS_NOT_FOUND');
      assert.equal(report.details.home, '/user/hdfs');
      // Done as the message says, the same commands work.
      await cli.ok(['fs', 'mkdir', '-p', '/user/hdfs']);
      assert.equal((await cli.ok(['fs', 'ls'])).stdout, 'Found 0 items\n');
      await cli.ok(['fs', 'put', '-', 'notes.txt'], { input: 'x' });
      assert.match((await cli.ok(['fs', 'ls'])).stdout, /\/user\/hdfs\/notes\.txt$/m);
      // A missing path elsewhere keeps the plain message.
      const elsewhere = await cli.run(['fs', 'ls', '/nope']);
      assert.equal(elsewhere.stderr, 'humle: File does not exist: /nope\n');
    }));

  test('--json prints no result for paths that all failed (nothing on stdout, the error on stderr, exit 3)', () =>
    withCli(async (cli) => {
      await cli.withFs(async (fs) => {
        await fs.mkdirs('/empty');
        await fs.writeFile('/file.txt', 'hello');
      });
      for (const args of [['fs', 'ls', '/nope'], ['fs', 'ls', '-R', '/nope'], ['fs', 'stat', '/nope'], ['fs', 'count', '/nope'], ['fs', 'du', '/nope'], ['fs', 'cat', '/nope'], ['fs', 'getfattr', '-d', '/nope'], ['fs', 'chmod', '700', '/nope'], ['fs', 'rm', '/nope'], ['fs', 'mkdir', '/nope/a']]) {
        const run = await cli.run(['--json', ...args]);
        assert.equal(run.code, 3, `humle --json ${args.join(' ')}: ${run.stderr}`);
        assert.equal(run.stdout, '', `humle --json ${args.join(' ')} prints no result`);
        assert.equal(JSON.parse(run.stderr.trim().split('\n')[0]!).error.code, 'FS_NOT_FOUND');
      }
      // What did succeed is still printed, with the failure reported and the exit code saying so.
      const partly = await cli.run(['--json', 'fs', 'stat', '/file.txt', '/nope']);
      assert.equal(partly.code, 3);
      assert.deepEqual((JSON.parse(partly.stdout) as { path: string }[]).map((s) => s.path), ['/file.txt']);
      // An empty directory is a real, empty listing.
      assert.equal((await cli.ok(['--json', 'fs', 'ls', '/empty'])).stdout, '[]\n');
    }));
});
