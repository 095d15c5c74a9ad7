import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachEngine } from '../support/fs-fixture.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import { FileNotFoundError, PermissionDeniedError } from '../../src/errors/fs-errors.js';
import { EXECUTE, READ, WRITE } from '../../src/fs/namespace/permissions.js';
import type { SandboxGrant, Sandboxes } from '../../src/fs/namespace/sandboxes.js';
import { assertRefused, rejection } from './spec-helpers.js';

// Specification: sandboxes (UserContext.sandboxes), humle fs's form of Hopsworks' projects. Inside a sandbox the
// caller's grant for that sandbox alone decides, in place of mode bits and groups; a sandbox's read-only entries
// (the feature store) change only through the superuser; sandboxes without a grant do not exist for the caller.

const DENIED = 'FS_PERMISSION_DENIED';
const FEATURE_STORE = 'alpha_featurestore.db';

function grant(project: string, access: number, controlsAll = false): SandboxGrant {
  return { access, controlsAll, group: project, readOnlyEntries: [`${project}_featurestore.db`] };
}

const RWX = READ | WRITE | EXECUTE;
const RX = READ | EXECUTE;

/** A member: its groups are its projects' groups, as the platform makes them. */
function member(fs: FileSystem, user: string, grants: Record<string, SandboxGrant>): FileSystem {
  const sandboxes: Sandboxes = { root: ['Projects'], grants };
  return fs.as(user, Object.keys(grants), sandboxes);
}

/** /Projects with alpha (alice's, with a feature store directory owned by its service user) and beta (dave's). */
async function projects(admin: FileSystem): Promise<void> {
  await admin.mkdirs('/Projects', { permission: 0o755 });
  for (const [project, owner] of [['alpha', 'alice'], ['beta', 'dave']] as const) {
    await admin.mkdirs(`/Projects/${project}`, { permission: 0o770 });
    await admin.setOwner(`/Projects/${project}`, owner, project);
  }
  const store = `/Projects/alpha/${FEATURE_STORE}`;
  await admin.mkdirs(`${store}/events_1/_delta_log`);
  await admin.writeFile(`${store}/events_1/part-0.parquet`, 'parquet bytes');
  await admin.writeFile(`${store}/events_1/_delta_log/00000000000000000000.json`, '{"commitInfo":{}}');
  for (const path of [store, `${store}/events_1`, `${store}/events_1/_delta_log`, `${store}/events_1/part-0.parquet`, `${store}/events_1/_delta_log/00000000000000000000.json`]) {
    await admin.setOwner(path, 'featurestore');
  }
  await admin.writeFile('/Projects/beta/secret', 'beta data');
}

const denied = (admin: FileSystem, action: () => Promise<unknown>, what: string) => assertRefused(admin, action, PermissionDeniedError, DENIED, what);
const missing = (admin: FileSystem, action: () => Promise<unknown>, what: string) => assertRefused(admin, action, FileNotFoundError, 'FS_NOT_FOUND', what);

describeEachEngine('sandboxes (project rights)', (withFs) => {
  test('rights follow the grant of the sandbox the path is in, not the group of the inode: a demoted member stops writing at once', () =>
    withFs(async ({ fs }) => {
      await projects(fs);
      const bobOwnerOfAll = member(fs, 'bob', { alpha: grant('alpha', RWX), beta: grant('beta', RWX) });
      await bobOwnerOfAll.mkdirs('/Projects/alpha/mine');
      // The attack: a group of another of his projects on a directory of alpha. Refused, as a typed error.
      await denied(fs, () => bobOwnerOfAll.setOwner('/Projects/alpha/mine', undefined, 'beta'), 'chgrp to another project');
      const refusal = (await rejection(bobOwnerOfAll.setOwner('/Projects/alpha/mine', undefined, 'beta'))) as Error;
      assert.match(refusal.message, /can only be alpha, the group of its project, not beta/);
      await bobOwnerOfAll.setPermission('/Projects/alpha/mine', 0o700);
      // Even with the group set by the superuser, the group grants nothing: the demoted bob's role in alpha decides.
      await fs.setOwner('/Projects/alpha/mine', undefined, 'beta');
      const demoted = member(fs, 'bob', { alpha: grant('alpha', RX), beta: grant('beta', RWX) });
      await denied(fs, () => demoted.writeFile('/Projects/alpha/mine/after', 'x'), 'write after demotion');
      await denied(fs, () => demoted.setPermission('/Projects/alpha/mine', 0o777), 'chmod after demotion');
      await denied(fs, () => demoted.delete('/Projects/alpha/mine', { recursive: true }), 'delete after demotion');
      assert.deepEqual((await demoted.listStatus('/Projects/alpha/mine')).entries, [], 'still reads');
      // The project's owner keeps control of what the member locked with 700: lists, writes, chmods, chgrps back, deletes.
      const alice = member(fs, 'alice', { alpha: grant('alpha', RWX, true) });
      await alice.writeFile('/Projects/alpha/mine/by-alice', 'a');
      assert.deepEqual((await alice.listStatus('/Projects/alpha/mine')).entries.map((e) => e.name), ['by-alice']);
      await alice.setOwner('/Projects/alpha/mine', undefined, 'alpha');
      await alice.setPermission('/Projects/alpha/mine', 0o1770);
      await bobOwnerOfAll.writeFile('/Projects/alpha/mine/by-bob', 'b');
      // With the sticky bit, another data owner may not delete alice's file; the owner deletes bob's.
      const erin = member(fs, 'erin', { alpha: grant('alpha', RWX) });
      await denied(fs, () => erin.delete('/Projects/alpha/mine/by-alice'), 'sticky bit');
      assert.equal(await alice.delete('/Projects/alpha/mine/by-bob'), true);
      assert.equal(await alice.delete('/Projects/alpha/mine', { recursive: true }), true);
    }));

  test('a sandbox read-only entry (the feature store): every member reads and traverses it; none, owner included, changes anything in it', () =>
    withFs(async ({ fs }) => {
      await projects(fs);
      const store = `/Projects/alpha/${FEATURE_STORE}`;
      const table = `${store}/events_1`;
      const file = `${table}/part-0.parquet`;
      const owner = member(fs, 'alice', { alpha: grant('alpha', RWX, true) });
      const dataOwner = member(fs, 'bob', { alpha: grant('alpha', RWX) });
      const scientist = member(fs, 'carol', { alpha: grant('alpha', RX) });
      for (const [who, view] of [['owner', owner], ['data owner', dataOwner], ['data scientist', scientist]] as const) {
        assert.equal((await view.readFile(file)).toString(), 'parquet bytes', who);
        assert.deepEqual((await view.listStatus(table)).entries.map((e) => e.name), ['_delta_log', 'part-0.parquet'], who);
        assert.equal((await view.getContentSummary(store)).fileCount, 2, who);
      }
      await dataOwner.writeFile('/Projects/alpha/outside', 'o');
      await dataOwner.mkdirs('/Projects/alpha/empty');
      for (const [who, view] of [['owner', owner], ['data owner', dataOwner]] as const) {
        const attacks: [string, () => Promise<unknown>][] = [
          ['create', () => view.writeFile(`${table}/new.parquet`, 'x')],
          ['overwrite', () => view.writeFile(file, 'x', { overwrite: true })],
          ['truncate', () => view.truncate(file, 0)],
          ['append', () => view.append(file)],
          ['delete a file', () => view.delete(file)],
          ['delete the log', () => view.delete(`${table}/_delta_log`, { recursive: true })],
          ['delete the feature store', () => view.delete(store, { recursive: true })],
          ['mkdirs', () => view.mkdirs(`${table}/x`)],
          ['rename out', () => view.rename(file, '/Projects/alpha/stolen')],
          ['rename in', () => view.rename('/Projects/alpha/outside', `${table}/part-1.parquet`)],
          ['rename the feature store', () => view.rename(store, '/Projects/alpha/moved')],
          ['replace the feature store', () => view.rename('/Projects/alpha/empty', store, { overwrite: true })],
          ['concat', () => view.concat(file, ['/Projects/alpha/outside'])],
          ['chmod', () => view.setPermission(table, 0o777)],
          ['chgrp', () => view.setOwner(table, undefined, 'alpha')],
          ['chown', () => view.setOwner(table, view.user.user)],
          ['touch', () => view.setTimes(file, 0, 0)],
          ['setxattr', () => view.setXAttr(file, 'user.x', 'y')],
          ['storage policy', () => view.setStoragePolicy(table, null)],
        ];
        for (const [what, attack] of attacks) await denied(fs, attack, `${who}: ${what}`);
      }
      // The feature store itself (a supergroup member) writes as before.
      const featureStore = fs.as('featurestore', ['supergroup']);
      await featureStore.writeFile(`${table}/part-1.parquet`, 'more');
      assert.equal((await fs.getFileStatus(`${table}/part-1.parquet`)).owner, 'featurestore');
    }));

  test('sandboxes without a grant do not exist: listings, counts, summaries and quota usage cover what the caller sees; refusals name nothing of them', () =>
    withFs(async ({ fs }) => {
      await projects(fs);
      await fs.mkdirs('/tmp', { permission: 0o777 });
      const outsider = member(fs, 'mallory', {});
      const bob = member(fs, 'bob', { alpha: grant('alpha', RWX) });
      assert.deepEqual((await outsider.listStatus('/Projects')).entries, []);
      assert.equal((await outsider.getFileStatus('/Projects')).childrenNum, 0);
      const root = (await outsider.listStatus('/')).entries.find((e) => e.name === 'Projects')!;
      assert.equal(root.childrenNum, 0, 'LISTSTATUS / counts what LISTSTATUS /Projects shows');
      assert.deepEqual((await bob.listStatus('/Projects')).entries.map((e) => e.name), ['alpha']);
      assert.equal((await bob.getFileStatus('/Projects')).childrenNum, 1);
      // Summaries over what the caller sees, never a refusal that names a project.
      const all = await fs.getContentSummary('/Projects');
      const alpha = await fs.getContentSummary('/Projects/alpha');
      assert.ok(all.fileCount > alpha.fileCount, 'beta holds files too');
      assert.deepEqual(await outsider.getContentSummary('/Projects'), { length: 0, fileCount: 0, directoryCount: 1, quota: -1, spaceConsumed: 0, spaceQuota: -1 });
      assert.deepEqual(await bob.getContentSummary('/Projects'), { ...alpha, directoryCount: 1 + alpha.directoryCount });
      const everything = await fs.getContentSummary('/');
      assert.equal((await outsider.getContentSummary('/')).directoryCount, everything.directoryCount - alpha.directoryCount - 1, '/ without alpha and beta');
      assert.deepEqual(await outsider.getQuotaUsage('/Projects'), { fileAndDirectoryCount: 1, quota: -1, spaceConsumed: 0, spaceQuota: -1 });
      // Even a quota on /Projects, whose recorded usage covers every project, is counted over what the caller sees.
      await fs.setQuota('/Projects', { namespace: 1000 });
      assert.deepEqual(await outsider.getQuotaUsage('/Projects'), { fileAndDirectoryCount: 1, quota: 1000, spaceConsumed: 0, spaceQuota: -1 });
      assert.equal((await bob.getQuotaUsage('/Projects/alpha')).fileAndDirectoryCount, alpha.fileCount + alpha.directoryCount);
      // Paths in them: missing, for every operation, exactly as paths that do not exist.
      assert.equal(await outsider.exists('/Projects/beta'), false);
      assert.equal(await bob.exists('/Projects/beta/secret'), false);
      for (const [what, action] of [
        ['status', () => bob.getFileStatus('/Projects/beta')],
        ['list', () => bob.listStatus('/Projects/beta')],
        ['read', () => bob.readFile('/Projects/beta/secret')],
        ['summary', () => bob.getContentSummary('/Projects/beta')],
        ['mkdirs', () => bob.mkdirs('/Projects/beta/x')],
        // What lies there must not shape the answer either ("is not a directory" would tell that secret is a file).
        ['mkdirs over a file', () => bob.mkdirs('/Projects/beta/secret')],
        ['write below a file', () => bob.writeFile('/Projects/beta/secret/x', 'x')],
        ['write', () => bob.writeFile('/Projects/beta/x', 'x')],
        ['delete', () => bob.delete('/Projects/beta/secret')],
        ['xattrs', () => bob.getXAttrs('/Projects/beta')],
      ] as const) {
        await missing(fs, action, what);
        const error = (await rejection(action())) as Error;
        assert.doesNotMatch(error.message, /dave|drwx/, `${what}: names nothing of beta`);
      }
      await bob.writeFile('/Projects/alpha/outside', 'o');
      await missing(fs, () => bob.rename('/Projects/alpha/outside', '/Projects/beta/x'), 'rename into a hidden project');
      await missing(fs, () => bob.rename('/Projects/alpha/outside', '/Projects/beta/secret/x'), 'rename below a file of a hidden project');
      // The superuser acting as a project member (an administrator's API key) passes every check in what it sees,
      // and sees only its projects, as every key does; its plain view sees everything.
      const adminAsMember = member(fs, 'hdfs', { alpha: grant('alpha', RWX) });
      assert.deepEqual((await adminAsMember.listStatus('/Projects')).entries.map((e) => e.name), ['alpha']);
      assert.equal((await adminAsMember.getFileStatus('/Projects')).childrenNum, 1);
      await adminAsMember.writeFile(`/Projects/alpha/${FEATURE_STORE}/by-admin`, 'a');
      await missing(fs, () => adminAsMember.getFileStatus('/Projects/beta'), 'hidden from an administrator key too');
      assert.deepEqual((await fs.listStatus('/Projects')).entries.map((e) => e.name), ['alpha', 'beta']);
    }));
});
