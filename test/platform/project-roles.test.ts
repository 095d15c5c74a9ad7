import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Humle } from '../../src/humle.js';
import { createTestStore, testEngines, type EngineKind } from '../support/engines.js';
import type { ProjectRecord } from '../../src/featurestore/project/project.js';
import type { ApiKeyScope } from '../../src/platform/api-key-scopes.js';
import { Principal } from '../../src/platform/principal.js';
import { ProjectAccess } from '../../src/platform/project-access.js';
import type { AssignableRole, FeatureStoreAction } from '../../src/platform/project-role.js';

/** Humle as its superuser with users alice, bob, carol and dave; alice owns `alpha`, bob is a data owner there, carol has `carolRole`. */
async function withAlpha(kind: EngineKind, carolRole: AssignableRole, fn: (humle: Humle, alpha: ProjectRecord) => Promise<void>): Promise<void> {
  const store = await createTestStore(kind);
  const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
  try {
    for (const user of ['alice', 'bob', 'carol', 'dave']) await humle.platform.users.ensure(user);
    const alpha = await humle.platform.createProject('alpha', 'alice');
    await humle.platform.addMember(alpha, 'bob', 'data_owner');
    await humle.platform.addMember(alpha, 'carol', carolRole);
    await fn(humle, alpha);
  } finally {
    await humle.close();
    await store.dispose();
  }
}

const STORE = '/Projects/legacy/legacy_featurestore.db';

for (const kind of testEngines()) {
  describe(`project roles in humle fs (${kind})`, () => {
    it('a role is a grant on the project: data owners write whatever the mode bits, data scientists never write, outsiders see nothing', async () => {
      await withAlpha(kind, 'data_owner', async (humle, alpha) => {
        const p = humle.platform;
        const as = async (user: string) => (await p.trustedPrincipal(user)).fsView(humle.fs);
        const alice = await as('alice');
        await alice.mkdirs('/Projects/alpha/private', { permission: 0o700 });
        await (await as('bob')).writeFile('/Projects/alpha/private/by-bob', 'b');
        await (await as('carol')).writeFile('/Projects/alpha/carols', 'c', { permission: 0o600 });
        // carol becomes a data scientist: her own file is read-only to her now, and she cannot chmod her way back.
        await p.setMemberRole(alpha, 'carol', 'data_scientist');
        const carol = await as('carol');
        assert.equal((await carol.readFile('/Projects/alpha/private/by-bob')).toString(), 'b');
        await assert.rejects(carol.writeFile('/Projects/alpha/carols', 'x', { overwrite: true }), { code: 'FS_PERMISSION_DENIED' });
        await assert.rejects(carol.setPermission('/Projects/alpha/carols', 0o666), { code: 'FS_PERMISSION_DENIED' });
        await assert.rejects(carol.delete('/Projects/alpha/carols'), { code: 'FS_PERMISSION_DENIED' });
        await assert.rejects(carol.mkdirs('/Projects/alpha/new'), { code: 'FS_PERMISSION_DENIED' });
        const dave = await as('dave');
        // A project one is not in does not exist for one: missing, as a project that does not exist.
        await assert.rejects(dave.listStatus('/Projects/alpha'), { code: 'FS_NOT_FOUND', message: 'File does not exist: /Projects/alpha' });
        // Removing bob takes his access away at once (his next identity has no grant).
        await p.removeMember(alpha, 'bob');
        await assert.rejects((await as('bob')).readFile('/Projects/alpha/private/by-bob'), { code: 'FS_NOT_FOUND' });
        assert.equal((await humle.fs.readFile('/Projects/alpha/carols')).toString(), 'c');
      });
    });

    it('a project without members (made before the platform, or cut short) is adopted by its recorded owner on open', async () => {
      const store = await createTestStore(kind);
      try {
        let humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
        await humle.platform.createProject('legacy', 'erin');
        await humle.fs.engine.write((tx) => tx.run('DELETE FROM hm_project_members'));
        await humle.fs.setOwner('/Projects/legacy', 'hdfs', 'supergroup');
        await humle.close();
        humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
        const members = await humle.platform.listMembers(await humle.platform.project('legacy'));
        assert.deepEqual(members.map((m) => `${m.user}:${m.role}`), ['erin:owner']);
        const status = await humle.fs.getFileStatus('/Projects/legacy');
        assert.deepEqual([status.owner, status.group, status.permission], ['erin', 'legacy', 0o770]);
        await humle.close();
      } finally {
        await store.dispose();
      }
    });

    it("a feature store directory made before its principal existed is given to it when Humle opens (children first, so a cut-short fix-up finishes later)", async () => {
      const store = await createTestStore(kind);
      try {
        let humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
        const project = await humle.createProject('legacy');
        const fg = await project.featureStore().createFeatureGroup({ name: 'events', primaryKey: ['id'], features: [{ name: 'id', type: 'bigint' }] });
        await fg.insert([{ id: 1n }, { id: 2n }]);
        const owners = async () => {
          const out: string[] = [];
          const walk = async (dir: string): Promise<void> => {
            for await (const entry of humle.fs.list(dir)) {
              out.push(`${entry.path}=${entry.owner}`);
              if (entry.type === 'DIRECTORY') await walk(entry.path);
            }
          };
          out.push(`${STORE}=${(await humle.fs.getFileStatus(STORE)).owner}`);
          await walk(STORE);
          return out;
        };
        const made = await owners();
        assert.ok(made.length >= 4 && made.every((line) => line.endsWith('=featurestore')), made.join(' '));
        // What an older version left: everything the superuser's, and a fix-up cut short after some entries.
        for (const line of made) await humle.fs.setOwner(line.slice(0, line.indexOf('=')), 'hdfs');
        await humle.fs.setOwner(made[1]!.slice(0, made[1]!.indexOf('=')), 'featurestore');
        await humle.close();
        humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
        assert.deepEqual(await owners(), made);
        assert.deepEqual(await (await (await humle.project('legacy')).featureStore().getFeatureGroup('events')).read(), [{ id: 1 }, { id: 2 }]);
        await humle.close();
      } finally {
        await store.dispose();
      }
    });

    it('feature store rights: members read; data scientists also create views; writes need owner or data owner; scopes narrow; outsiders see no project', async () => {
      await withAlpha(kind, 'data_scientist', async (humle) => {
        const p = humle.platform;
        const access = new ProjectAccess(p);
        const allowed = async (user: string, action: FeatureStoreAction, scopes: ApiKeyScope[] = ['featurestore:read', 'featurestore:write']) => {
          const caller = new Principal(user, new Set(scopes), (await p.trustedPrincipal(user)).memberships, 'k');
          return access.featureStoreProject(caller, 'alpha', action).then(
            () => 'yes',
            (error: { code: string }) => error.code,
          );
        };
        const table: [string, FeatureStoreAction, string][] = [
          ['alice', 'write', 'yes'],
          ['bob', 'write', 'yes'],
          ['carol', 'read', 'yes'],
          ['carol', 'createViews', 'yes'],
          ['carol', 'write', 'ACCESS_DENIED'],
          ['dave', 'read', 'PROJECT_NOT_FOUND'],
        ];
        for (const [user, action, expected] of table) assert.equal(await allowed(user, action), expected, `${user} ${action}`);
        assert.equal(await allowed('bob', 'write', ['featurestore:read']), 'ACCESS_DENIED');
        assert.equal(await allowed('carol', 'createViews', ['featurestore:read']), 'ACCESS_DENIED');
        assert.equal(await allowed('bob', 'read', ['fs:read']), 'ACCESS_DENIED');
        assert.equal(await allowed('dave', 'read', ['fs:read']), 'PROJECT_NOT_FOUND');
      });
    });
  });
}
