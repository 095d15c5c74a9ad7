import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachEngine } from '../support/fs-fixture.js';
import { FileNotFoundError, InvalidPathError, PermissionDeniedError } from '../../src/errors/fs-errors.js';

describeEachEngine('reads served by worker threads', (withFs) => {
  test('worker reads see every committed write and return the same answers as the calling thread', () =>
    withFs(async ({ fs, reopen }) => {
      const pooled = await reopen({ readWorkers: 2 });
      await pooled.writeFile('/w/a.txt', 'alpha');
      await pooled.writeFile('/w/big.bin', Buffer.alloc(200_000, 3));
      // Read-your-writes: the write above committed before these reads started, on other connections.
      assert.equal((await pooled.readFile('/w/a.txt')).toString(), 'alpha');
      const big = await pooled.readFile('/w/big.bin');
      assert.ok(Buffer.isBuffer(big));
      assert.deepEqual(big, Buffer.alloc(200_000, 3));
      assert.deepEqual(await pooled.getFileStatus('/w/a.txt'), await fs.getFileStatus('/w/a.txt'));
      assert.deepEqual(await pooled.listStatus('/w'), await fs.listStatus('/w'));
      assert.equal(await pooled.exists('/w/nope'), false);
      const many = await Promise.all(Array.from({ length: 300 }, (_, i) => pooled.getFileStatus(i % 2 ? '/w/a.txt' : '/w/big.bin')));
      assert.equal(many.filter((s) => s.length === 5).length, 150);
    }));

  test('errors come back typed, and permissions apply to the calling user', () =>
    withFs(async ({ reopen }) => {
      const pooled = await reopen({ readWorkers: 1 });
      await pooled.writeFile('/private/secret', 'x', { permission: 0o600 });
      await pooled.setPermission('/private', 0o700);
      await assert.rejects(pooled.getFileStatus('/missing'), FileNotFoundError);
      await assert.rejects(pooled.readFile('relative'), InvalidPathError);
      const alice = pooled.as('alice');
      await assert.rejects(alice.readFile('/private/secret'), PermissionDeniedError);
      await assert.rejects(alice.listStatus('/private'), PermissionDeniedError);
      assert.equal((await pooled.readFile('/private/secret')).toString(), 'x');
    }));
});
