import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachEngine } from '../support/fs-fixture.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import { PermissionDeniedError } from '../../src/errors/fs-errors.js';
import { assertRefused, count } from './spec-helpers.js';

// Specification: HDFS's permission model (FSPermissionChecker). The owner class, else the group class, else the
// other class decides; the superuser (the formatting user, or a member of the supergroup) passes every check.
// Every denial is a PermissionDeniedError and changes nothing.

const DENIED = 'FS_PERMISSION_DENIED';

async function dir(admin: FileSystem, path: string, owner: string, group: string, mode: number): Promise<void> {
  await admin.mkdirs(path);
  await admin.setOwner(path, owner, group);
  await admin.setPermission(path, mode);
}

async function file(admin: FileSystem, path: string, content: string, owner: string, group: string, mode: number): Promise<void> {
  await admin.writeFile(path, content);
  await admin.setOwner(path, owner, group);
  await admin.setPermission(path, mode);
}

function users(fs: FileSystem) {
  return {
    alice: fs.as('alice', ['staff']),
    bob: fs.as('bob', ['staff']),
    carol: fs.as('carol', ['carol']),
    /** Not the formatting user, but a member of the supergroup: a superuser. */
    dave: fs.as('dave', ['supergroup']),
  };
}

const denied = (admin: FileSystem, action: () => Promise<unknown>, what: string) => assertRefused(admin, action, PermissionDeniedError, DENIED, what);

describeEachEngine('permissions (HDFS model)', (withFs) => {
  test('read needs r in the one class that applies: owner, else group, else other', () =>
    withFs(async ({ fs }) => {
      const { alice, bob, carol, dave } = users(fs);
      await dir(fs, '/p', 'hdfs', 'supergroup', 0o755);
      await file(fs, '/p/f', 'secret', 'alice', 'staff', 0o640);
      const reads = async (who: FileSystem) => (await who.readFile('/p/f')).toString();
      const cases: [number, Record<string, boolean>][] = [
        [0o640, { alice: true, bob: true, carol: false }],
        [0o604, { alice: true, bob: false, carol: true }], // group class has no r: other's r does not apply to bob
        [0o044, { alice: false, bob: true, carol: true }], // owner class has no r: group's and other's do not apply to alice
        [0o000, { alice: false, bob: false, carol: false }],
      ];
      for (const [mode, expect] of cases) {
        await fs.setPermission('/p/f', mode);
        for (const [name, who] of Object.entries({ alice, bob, carol })) {
          if (expect[name]) assert.equal(await reads(who), 'secret', `${name} reads mode ${mode.toString(8)}`);
          else {
            await denied(fs, () => who.readFile('/p/f'), `${name} readFile mode ${mode.toString(8)}`);
            await denied(fs, () => who.open('/p/f'), `${name} open mode ${mode.toString(8)}`);
          }
        }
        assert.equal(await reads(fs), 'secret', 'the superuser reads anything');
        assert.equal(await reads(dave), 'secret', 'a supergroup member reads anything');
      }
    }));

  test('creating in a directory needs w and x on it; implied parents too', () =>
    withFs(async ({ fs }) => {
      const { alice, bob, carol } = users(fs);
      await dir(fs, '/w', 'alice', 'staff', 0o755);
      await denied(fs, () => bob.writeFile('/w/b', 'x'), 'bob writeFile in 755');
      await denied(fs, () => bob.create('/w/b'), 'bob create in 755');
      await denied(fs, () => bob.mkdirs('/w/sub'), 'bob mkdirs in 755');
      await denied(fs, () => bob.writeFile('/w/x/y/z', 'x'), 'bob writeFile with implied parents in 755');
      await denied(fs, () => bob.mkdirs('/w/x/y/z'), 'bob mkdirs -p in 755');
      await fs.setPermission('/w', 0o765); // group rw-: w without x is not enough
      await denied(fs, () => bob.writeFile('/w/b', 'x'), 'bob writeFile in 765');
      await fs.setPermission('/w', 0o775);
      await bob.writeFile('/w/b', 'from bob');
      await bob.mkdirs('/w/x/y/z');
      await denied(fs, () => carol.writeFile('/w/c', 'x'), 'carol (other r-x) writeFile in 775');
      await alice.writeFile('/w/a', 'from alice');
      const b = await fs.getFileStatus('/w/b');
      assert.deepEqual([b.owner, b.group, b.permissionString], ['bob', 'staff', '-rw-r--r--'], 'new file: creator, parent group, 666 & ~022');
      const z = await fs.getFileStatus('/w/x/y/z');
      assert.deepEqual([z.owner, z.group, z.permissionString], ['bob', 'staff', 'drwxr-xr-x']);
    }));

  test('append and truncate need w on the file, not on its directory', () =>
    withFs(async ({ fs }) => {
      const { bob, carol } = users(fs);
      await dir(fs, '/w', 'alice', 'staff', 0o755);
      await file(fs, '/w/f', 'abc', 'alice', 'staff', 0o644);
      await denied(fs, () => bob.append('/w/f'), 'bob append to 644');
      await denied(fs, () => bob.truncate('/w/f', 1), 'bob truncate 644');
      await denied(fs, () => bob.setTimes('/w/f', 1000, -1), 'bob setTimes on 644');
      await denied(fs, () => bob.setReplication('/w/f', 3), 'bob setReplication on 644');
      await fs.setPermission('/w/f', 0o666);
      const writer = await carol.append('/w/f'); // other class has w; the directory is r-x for carol
      await writer.write('def');
      await writer.close();
      assert.equal((await fs.readFile('/w/f')).toString(), 'abcdef');
      await bob.truncate('/w/f', 4);
      assert.equal((await fs.readFile('/w/f')).toString(), 'abcd');
    }));

  test('overwriting a file needs w on the file as well as on its directory', () =>
    withFs(async ({ fs }) => {
      const { bob } = users(fs);
      await dir(fs, '/open', 'hdfs', 'supergroup', 0o777);
      await file(fs, '/open/f', 'alice data', 'alice', 'staff', 0o644);
      await denied(fs, () => bob.writeFile('/open/f', 'bob data', { overwrite: true }), 'bob overwrite of a 644 file');
      await denied(fs, () => bob.create('/open/f', { overwrite: true }), 'bob create(overwrite) of a 644 file');
      assert.equal((await fs.readFile('/open/f')).toString(), 'alice data');
    }));

  test('traversing needs x on every directory above the path', () =>
    withFs(async ({ fs }) => {
      const { alice, bob, carol } = users(fs);
      await dir(fs, '/priv', 'alice', 'staff', 0o700);
      await file(fs, '/priv/f', 'data', 'alice', 'staff', 0o644);
      await dir(fs, '/priv/d', 'alice', 'staff', 0o777);
      await file(fs, '/priv/d/g', 'deep', 'alice', 'staff', 0o666);
      for (const [what, call] of [
        ['getFileStatus', () => bob.getFileStatus('/priv/f')],
        ['readFile', () => bob.readFile('/priv/f')],
        ['readFile deep', () => bob.readFile('/priv/d/g')],
        ['listStatus of an open dir below', () => bob.listStatus('/priv/d')],
        ['writeFile into an open dir below', () => bob.writeFile('/priv/d/new', 'x')],
        ['append deep', () => bob.append('/priv/d/g')],
        ['delete deep', () => bob.delete('/priv/d/g')],
        ['rename out', () => bob.rename('/priv/d/g', '/g')],
        ['getXAttrs', () => bob.getXAttrs('/priv/f')],
        ['getContentSummary', () => bob.getContentSummary('/priv/d')],
      ] as const) {
        await denied(fs, call, `bob ${what} below a 700 directory`);
      }
      assert.equal((await bob.getFileStatus('/priv')).permissionString, 'drwx------', 'the directory itself is visible');
      assert.equal((await alice.readFile('/priv/d/g')).toString(), 'deep');
      await fs.setPermission('/priv', 0o711); // x for everyone, r for no one but alice
      assert.equal((await carol.readFile('/priv/f')).toString(), 'data');
      assert.equal((await carol.getFileStatus('/priv/d/g')).length, 4);
      await denied(fs, () => carol.listStatus('/priv'), 'carol listStatus of a 711 directory');
    }));

  test('exists does not reveal what lies below a directory the caller may not traverse', () =>
    withFs(async ({ fs }) => {
      const { bob } = users(fs);
      await dir(fs, '/priv', 'alice', 'staff', 0o700);
      await file(fs, '/priv/f', 'data', 'alice', 'staff', 0o644);
      await denied(fs, () => bob.exists('/priv/f'), 'bob exists below a 700 directory');
      await denied(fs, () => bob.exists('/priv/nothing'), 'bob exists of a missing name below a 700 directory');
    }));

  test('listStatus needs r and x on the directory; a file lists with traverse only', () =>
    withFs(async ({ fs }) => {
      const { alice, bob, carol } = users(fs);
      await dir(fs, '/l', 'alice', 'staff', 0o750);
      await file(fs, '/l/f', 'x', 'alice', 'staff', 0o600);
      assert.equal((await bob.listStatus('/l')).entries.length, 1);
      await denied(fs, () => carol.listStatus('/l'), 'carol list of 750');
      await fs.setPermission('/l', 0o740); // group r--: no x
      await denied(fs, () => bob.listStatus('/l'), 'bob list of 740');
      await fs.setPermission('/l', 0o710); // group --x: no r
      await denied(fs, () => bob.listStatus('/l'), 'bob list of 710');
      assert.deepEqual((await bob.listStatus('/l/f')).entries.map((e) => e.path), ['/l/f'], 'a file lists as itself with x on its directory');
      await fs.setPermission('/l', 0o300); // the owner has w and x, no r
      await denied(fs, () => alice.listStatus('/l'), 'alice list of her 300 directory');
      const names: string[] = [];
      for await (const e of fs.list('/l')) names.push(e.name);
      assert.deepEqual(names, ['f'], 'the superuser lists anything');
    }));

  test('getContentSummary needs r and x on every directory of the subtree', () =>
    withFs(async ({ fs }) => {
      const { bob, carol } = users(fs);
      await dir(fs, '/cs', 'alice', 'staff', 0o755);
      await dir(fs, '/cs/sub', 'alice', 'staff', 0o750);
      await file(fs, '/cs/sub/f', 'abc', 'alice', 'staff', 0o644);
      assert.equal((await bob.getContentSummary('/cs')).length, 3);
      await denied(fs, () => carol.getContentSummary('/cs'), 'carol summary over a 750 subdirectory');
    }));

  test('delete needs w and x on the parent; the file’s own bits do not matter', () =>
    withFs(async ({ fs }) => {
      const { bob } = users(fs);
      await dir(fs, '/dp', 'alice', 'staff', 0o755);
      await file(fs, '/dp/f', 'x', 'alice', 'staff', 0o777);
      await denied(fs, () => bob.delete('/dp/f'), 'bob delete in a 755 directory');
      await denied(fs, () => bob.delete('/dp/f', { recursive: true }), 'bob recursive delete of a file in a 755 directory');
      await dir(fs, '/dq', 'alice', 'staff', 0o777);
      await file(fs, '/dq/f', 'x', 'alice', 'staff', 0o400);
      await dir(fs, '/dq/empty', 'alice', 'staff', 0o000);
      assert.equal(await bob.delete('/dq/f'), true);
      assert.equal(await bob.delete('/dq/empty'), true, 'an empty directory is deleted with w on its parent alone');
      assert.equal((await fs.getFileStatus('/dq')).childrenNum, 0);
    }));

  test('recursive delete needs rwx on every non-empty directory of the subtree', () =>
    withFs(async ({ fs }) => {
      const { alice, bob } = users(fs);
      await dir(fs, '/shared', 'hdfs', 'supergroup', 0o777);
      await dir(fs, '/shared/tree', 'bob', 'staff', 0o777);
      await dir(fs, '/shared/tree/a', 'bob', 'staff', 0o777);
      await file(fs, '/shared/tree/a/f', 'x', 'bob', 'staff', 0o644);
      await dir(fs, '/shared/tree/a/locked', 'alice', 'staff', 0o755);
      await file(fs, '/shared/tree/a/locked/g', 'y', 'alice', 'staff', 0o644);
      await denied(fs, () => bob.delete('/shared/tree', { recursive: true }), 'bob recursive delete over alice’s 755 directory');
      await dir(fs, '/shared/t2', 'alice', 'staff', 0o755);
      await file(fs, '/shared/t2/f', 'x', 'alice', 'staff', 0o666);
      await denied(fs, () => bob.delete('/shared/t2', { recursive: true }), 'bob recursive delete of alice’s non-empty 755 directory');
      await fs.setPermission('/shared/tree/a/locked', 0o777);
      assert.equal(await bob.delete('/shared/tree', { recursive: true }), true);
      assert.equal(await alice.delete('/shared/t2', { recursive: true }), true);
      assert.deepEqual((await fs.listStatus('/shared')).entries, []);
    }));

  test('recursive delete ignores the bits of empty subdirectories (HDFS ignoreEmptyDir)', () =>
    withFs(async ({ fs }) => {
      const { bob } = users(fs);
      await dir(fs, '/shared', 'hdfs', 'supergroup', 0o777);
      await dir(fs, '/shared/t3', 'bob', 'staff', 0o777);
      await file(fs, '/shared/t3/f', 'x', 'bob', 'staff', 0o644);
      await dir(fs, '/shared/t3/emptylocked', 'alice', 'staff', 0o500);
      assert.equal(await bob.delete('/shared/t3', { recursive: true }), true);
      assert.equal(await fs.exists('/shared/t3'), false);
    }));

  test('a large recursive delete (subtree protocol) checks the same permissions and leaves no lock behind', () =>
    withFs(
      async ({ fs }) => {
        const { bob } = users(fs);
        await dir(fs, '/shared', 'hdfs', 'supergroup', 0o777);
        await dir(fs, '/shared/big', 'bob', 'staff', 0o777);
        for (let i = 0; i < 12; i++) await fs.writeFile(`/shared/big/f${i}`, `${i}`);
        await dir(fs, '/shared/big/locked', 'alice', 'staff', 0o755);
        await file(fs, '/shared/big/locked/g', 'y', 'alice', 'staff', 0o644);
        await denied(fs, () => bob.delete('/shared/big', { recursive: true }), 'bob large recursive delete over a 755 directory');
        assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_subtree_operations'), 0);
        assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_inodes WHERE subtree_lock IS NOT NULL'), 0);
        await bob.writeFile('/shared/big/after', 'the subtree is usable at once');
        await fs.setPermission('/shared/big/locked', 0o777);
        assert.equal(await bob.delete('/shared/big', { recursive: true }), true);
        assert.equal(await fs.exists('/shared/big'), false);
        assert.equal((await fs.fsck({ graceMs: 0 })).healthy, true);
      },
      { limits: { smallSubtreeLimit: 5, subtreeBatchSize: 4 } },
    ));

  test('rename needs w and x on the source and destination directories', () =>
    withFs(async ({ fs }) => {
      const { bob } = users(fs);
      await dir(fs, '/alice', 'alice', 'staff', 0o755);
      await file(fs, '/alice/f', 'x', 'alice', 'staff', 0o666);
      await dir(fs, '/bob', 'bob', 'staff', 0o755);
      await file(fs, '/bob/g', 'y', 'bob', 'staff', 0o644);
      await denied(fs, () => bob.rename('/alice/f', '/bob/f'), 'bob moves a file out of a 755 directory');
      await denied(fs, () => bob.rename('/bob/g', '/alice/g'), 'bob moves a file into a 755 directory');
      await denied(fs, () => bob.rename('/alice', '/bob/alice'), 'bob moves a top-level directory (root is 755)');
      await dir(fs, '/open', 'hdfs', 'supergroup', 0o777);
      await file(fs, '/open/h', 'z', 'alice', 'staff', 0o600);
      await bob.rename('/open/h', '/open/h2'); // no sticky bit: anyone with w on the directory renames anything
      await bob.rename('/open/h2', '/bob/h');
      assert.equal((await fs.getFileStatus('/bob/h')).owner, 'alice');
    }));

  test('sticky bit: in a 1777 directory only the entry’s owner, the directory’s owner or the superuser removes or renames it', () =>
    withFs(async ({ fs }) => {
      const { alice, bob, carol } = users(fs);
      await dir(fs, '/tmp', 'carol', 'carol', 0o1777);
      assert.equal((await fs.getFileStatus('/tmp')).permissionString, 'drwxrwxrwt');
      await dir(fs, '/bobhome', 'bob', 'staff', 0o755);
      await alice.writeFile('/tmp/a', 'alice');
      await alice.mkdirs('/tmp/adir');
      await bob.writeFile('/tmp/b', 'bob');
      for (const [what, call] of [
        ['delete', () => bob.delete('/tmp/a')],
        ['delete a directory', () => bob.delete('/tmp/adir', { recursive: true })],
        ['rename within', () => bob.rename('/tmp/a', '/tmp/c')],
        ['rename a directory', () => bob.rename('/tmp/adir', '/tmp/bdir')],
        ['rename out', () => bob.rename('/tmp/a', '/bobhome/a')],
        ['rename over it', () => bob.rename('/tmp/b', '/tmp/a', { overwrite: true })],
        ['writeFile over it', () => bob.writeFile('/tmp/a', 'bob', { overwrite: true })],
        ['create over it', () => bob.create('/tmp/a', { overwrite: true })],
      ] as const) {
        await denied(fs, call, `bob ${what} alice’s entry in a sticky directory`);
      }
      await bob.rename('/tmp/b', '/tmp/b2'); // his own entry
      assert.equal(await bob.delete('/tmp/b2'), true);
      await carol.rename('/tmp/adir', '/tmp/adir2'); // the directory's owner
      assert.equal(await carol.delete('/tmp/a'), true);
      assert.equal(await alice.delete('/tmp/adir2'), true);
      assert.deepEqual((await fs.listStatus('/tmp')).entries, []);
    }));

  test('setPermission by the owner; setOwner by the superuser; a group change only to one of the caller’s groups', () =>
    withFs(async ({ fs }) => {
      const { bob, dave } = users(fs);
      const alice = fs.as('alice', ['staff', 'devs']);
      await dir(fs, '/o', 'hdfs', 'supergroup', 0o777);
      await file(fs, '/o/f', 'x', 'alice', 'staff', 0o666);
      await denied(fs, () => bob.setPermission('/o/f', 0o777), 'bob setPermission on alice’s file');
      await alice.setPermission('/o/f', 0o640);
      await denied(fs, () => alice.setOwner('/o/f', 'bob'), 'alice gives her file away');
      await denied(fs, () => alice.setOwner('/o/f', 'bob', 'devs'), 'alice gives her file away with a group she has');
      await denied(fs, () => alice.setOwner('/o/f', undefined, 'wheel'), 'alice sets a group she is not in');
      await denied(fs, () => bob.setOwner('/o/f', undefined, 'staff'), 'bob (not the owner) sets the group');
      await denied(fs, () => bob.setOwner('/o/f', 'bob'), 'bob takes alice’s file');
      await alice.setOwner('/o/f', undefined, 'devs');
      await alice.setOwner('/o/f', 'alice', 'staff'); // naming herself as owner changes nothing
      let s = await fs.getFileStatus('/o/f');
      assert.deepEqual([s.owner, s.group, s.permissionString], ['alice', 'staff', '-rw-r-----']);
      await dave.setOwner('/o/f', 'bob', 'wheel');
      s = await fs.getFileStatus('/o/f');
      assert.deepEqual([s.owner, s.group], ['bob', 'wheel']);
      await fs.setOwner('/o/f', 'carol');
      assert.equal((await fs.getFileStatus('/o/f')).owner, 'carol');
    }));

  test('setQuota and fsck are for the superuser only', () =>
    withFs(async ({ fs }) => {
      const { alice, dave } = users(fs);
      await dir(fs, '/q', 'alice', 'staff', 0o755);
      await denied(fs, () => alice.setQuota('/q', { namespace: 10 }), 'alice quota on her own directory');
      assert.equal((await fs.getQuotaUsage('/q')).quota, -1);
      await dave.setQuota('/q', { namespace: 10, space: 1000 });
      await denied(fs, () => alice.setQuota('/q', { namespace: null, space: null }), 'alice clears a quota');
      assert.deepEqual(await alice.getQuotaUsage('/q'), { fileAndDirectoryCount: 1, quota: 10, spaceConsumed: 0, spaceQuota: 1000 });
      await denied(fs, () => alice.fsck(), 'alice fsck');
      assert.equal((await dave.fsck({ graceMs: 0 })).healthy, true);
    }));

  test('xattrs: user.* follow the file bits; trusted.* are the superuser’s alone and invisible to others', () =>
    withFs(async ({ fs }) => {
      const { alice, bob, carol, dave } = users(fs);
      await dir(fs, '/x', 'alice', 'staff', 0o755);
      await file(fs, '/x/f', 'x', 'alice', 'staff', 0o640);
      await alice.setXAttr('/x/f', 'user.a', 'A');
      await denied(fs, () => alice.setXAttr('/x/f', 'trusted.t', 'T'), 'alice sets trusted.*');
      await fs.setXAttr('/x/f', 'trusted.t', 'T');
      assert.deepEqual(Object.keys(await alice.getXAttrs('/x/f')), ['user.a'], 'trusted.* is filtered out of get-all');
      assert.deepEqual(await alice.listXAttrs('/x/f'), ['user.a']);
      await denied(fs, () => alice.getXAttrs('/x/f', ['trusted.t']), 'alice gets trusted.* by name');
      await denied(fs, () => alice.removeXAttr('/x/f', 'trusted.t'), 'alice removes trusted.*');
      await denied(fs, () => alice.setXAttr('/x/f', 'trusted.t', 'changed'), 'alice replaces trusted.*');
      await denied(fs, () => bob.setXAttr('/x/f', 'user.b', 'B'), 'bob sets user.* without w');
      await denied(fs, () => bob.removeXAttr('/x/f', 'user.a'), 'bob removes user.* without w');
      assert.equal((await bob.getXAttrs('/x/f', ['user.a']))['user.a']!.toString(), 'A', 'group r reads user.*');
      await denied(fs, () => carol.getXAttrs('/x/f'), 'carol gets user.* without r');
      await denied(fs, () => carol.getXAttrs('/x/f', ['user.a']), 'carol gets user.a without r');
      assert.deepEqual(Object.keys(await dave.getXAttrs('/x/f')).sort(), ['trusted.t', 'user.a']);
      assert.deepEqual((await fs.listXAttrs('/x/f')).sort(), ['trusted.t', 'user.a']);
    }));

  test('listXAttrs needs only x on the parent, as in HDFS (names, not values)', () =>
    withFs(async ({ fs }) => {
      const { bob } = users(fs);
      await dir(fs, '/x', 'alice', 'staff', 0o755);
      await file(fs, '/x/f', 'x', 'alice', 'staff', 0o600);
      await fs.setXAttr('/x/f', 'user.a', 'A');
      await fs.setXAttr('/x/f', 'trusted.t', 'T');
      assert.deepEqual(await bob.listXAttrs('/x/f'), ['user.a']);
    }));
});
