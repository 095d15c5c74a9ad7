import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCli, snapshot } from './cli-harness.js';

describeCli('humle fs permissions, chmod, chown, chgrp, xattrs', (withCli) => {
  test('a user without permission is refused with exit code 4, and nothing changes', () =>
    withCli(async (cli) => {
      await cli.withFs(async (fs) => {
        await fs.mkdirs('/private/inner');
        await fs.mkdirs('/shared');
        await fs.writeFile('/private/secret', 'secret');
        await fs.setPermission('/private', 0o700);
      });
      const before = await snapshot(cli);
      const alice = { user: 'alice' };
      for (const args of [
        ['fs', 'ls', '/private'],
        ['fs', 'put', '-', '/private/new'],
        ['fs', 'rm', '-r', '/private'],
        ['fs', 'chmod', '777', '/private'],
      ]) {
        const error = await cli.fails(4, args, alice);
        assert.equal(error.code, 'FS_PERMISSION_DENIED', args.join(' '));
      }
      const text = await cli.run(['fs', 'cat', '/private/secret'], alice);
      assert.equal(text.code, 4);
      // As HDFS, the refusal names the inode that refused (the directory alice cannot search), with its own owner and mode.
      assert.match(text.stderr, /^humle: Permission denied: user=alice, access=--x, inode="\/private":hdfs:supergroup:drwx------\n$/);
      assert.equal(await snapshot(cli), before, 'refused commands change nothing');
    }));

  test('chmod takes octal and symbolic modes, -R; chown and chgrp change owner and group', () =>
    withCli(async (cli) => {
      await cli.withFs((fs) => fs.writeFile('/d/e/f', 'x'));
      await cli.ok(['fs', 'chmod', '-R', '750', '/d']);
      await cli.ok(['fs', 'chmod', 'u-w,g+w,o=r,+t', '/d/e/f']);
      const modes = await cli.withFs(async (fs) => Promise.all(['/d', '/d/e', '/d/e/f'].map(async (p) => (await fs.getFileStatus(p)).permission.toString(8))));
      assert.deepEqual(modes, ['750', '750', '1574']);
      assert.deepEqual(await cli.json(['fs', 'chown', '-R', 'alice:staff', '/d']), [{ path: '/d', changed: 3 }]);
      await cli.ok(['fs', 'chgrp', 'analysts', '/d/e/f']);
      const owners = await cli.withFs(async (fs) => Promise.all(['/d', '/d/e', '/d/e/f'].map(async (p) => fs.getFileStatus(p))));
      assert.deepEqual(owners.map((s) => `${s.path} ${s.owner}:${s.group}`), ['/d alice:staff', '/d/e alice:staff', '/d/e/f alice:analysts']);
      // alice owns the file now but may only choose a group she is in, and never give the file away.
      assert.equal((await cli.fails(4, ['fs', 'chown', 'bob', '/d/e/f'], { user: 'alice' })).code, 'FS_PERMISSION_DENIED');
      await cli.ok(['--groups', 'staff,ml', 'fs', 'chgrp', 'ml', '/d/e/f'], { user: 'alice' });
      assert.equal((await cli.withFs((fs) => fs.getFileStatus('/d/e/f'))).group, 'ml');
    }));

  test('setfattr and getfattr set, print in three encodings, and remove extended attributes', () =>
    withCli(async (cli) => {
      await cli.withFs((fs) => fs.writeFile('/f', 'x'));
      await cli.ok(['fs', 'setfattr', '-n', 'user.color', '-v', '"blue"', '/f']);
      await cli.ok(['fs', 'setfattr', '-n', 'user.bin', '-v', '0x00ff', '/f']);
      assert.equal((await cli.ok(['fs', 'getfattr', '-d', '/f'])).stdout, '# file: /f\nuser.bin="\u0000\ufffd"\nuser.color="blue"\n');
      assert.deepEqual(await cli.json(['fs', 'getfattr', '-d', '-e', 'base64', '/f']), [{ path: '/f', xattrs: { 'user.bin': '0sAP8=', 'user.color': '0sYmx1ZQ==' } }]);
      assert.equal((await cli.fails(1, ['fs', 'getfattr', '-n', 'user.nope', '/f'])).code, 'FS_XATTR');
      assert.equal((await cli.fails(2, ['fs', 'setfattr', '/f'])).code, 'USAGE');
      await cli.ok(['fs', 'setfattr', '-x', 'user.bin', '/f']);
      assert.deepEqual(await cli.withFs((fs) => fs.listXAttrs('/f')), ['user.color']);
    }));
});
