import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedFreshRead } from '../../src/server/rondb/shared-fresh-read.js';

describe('SharedFreshRead', () => {
  it('a caller that comes while a read runs gets the next read, shared with every caller that came meanwhile', async () => {
    let value = 0;
    const started: (() => void)[] = [];
    const shared = new SharedFreshRead(
      () =>
        new Promise<number>((resolve) => {
          const read = value;
          started.push(() => resolve(read));
        }),
    );
    const first = shared.get();
    value = 1; // a change after the first read began: callers from now on must see it
    const [second, third] = [shared.get(), shared.get()];
    assert.equal(started.length, 1, 'one read at a time');
    started[0]!();
    assert.equal(await first, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started.length, 2, 'the waiting callers share one new read');
    started[1]!();
    assert.deepEqual(await Promise.all([second, third]), [1, 1]);
    const later = shared.get();
    assert.equal(started.length, 3, 'with no read running, a caller starts its own');
    started[2]!();
    assert.equal(await later, 1);
  });

  it('a failed read fails its callers only; the next caller reads again', async () => {
    let fail = true;
    const shared = new SharedFreshRead(async () => {
      if (fail) throw new Error('database down');
      return 7;
    });
    await assert.rejects(shared.get(), /database down/);
    fail = false;
    assert.equal(await shared.get(), 7);
  });
});
