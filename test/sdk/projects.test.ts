import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import { ApiKeyNotFoundError, MemberExistsError, MemberNotFoundError } from '../../src/errors/platform-errors.js';
import { ProjectExistsError, ProjectNotFoundError } from '../../src/errors/project-errors.js';
import { describeSdk } from './sdk-harness.js';

describeSdk('SDK projects, members and API keys', (withSdk) => {
  test('projects are created, found and listed; members get, change and lose roles; refusals are typed', () =>
    withSdk(async ({ humle }) => {
      const project = await humle.createProject('churn');
      assert.deepEqual([project.name, project.owner, project.directory], ['churn', 'alice', '/Projects/churn']);
      assert.ok(project.createdAt instanceof Date && Math.abs(project.createdAt.getTime() - Date.now()) < 60_000);
      assert.equal((await humle.project('churn')).id, project.id);
      assert.equal((await humle.getOrCreateProject('churn')).id, project.id);
      assert.equal((await humle.getOrCreateProject('retention')).name, 'retention');
      const names = (await humle.listProjects()).map((p) => p.name);
      assert.ok(names.includes('churn') && names.includes('retention'), names.join());
      assert.deepEqual(project.toJSON(), { id: project.id, name: 'churn', owner: 'alice', createdAt: project.createdAt.getTime() });
      assert.equal(project.featureStore().name, 'churn_featurestore');

      await project.addMember('bob', 'data_owner');
      assert.deepEqual((await project.members()).map((m) => `${m.user}:${m.role}`), ['alice:owner', 'bob:data_owner']);
      assert.ok((await project.members()).every((m) => m.addedAt instanceof Date));
      await project.setMemberRole('bob', 'data_scientist');
      assert.deepEqual((await project.members()).map((m) => `${m.user}:${m.role}`), ['alice:owner', 'bob:data_scientist']);
      await assert.rejects(project.addMember('bob', 'data_owner'), MemberExistsError);
      await assert.rejects(project.setMemberRole('alice', 'data_owner'), InvalidArgumentError);
      await project.removeMember('bob');
      await assert.rejects(project.removeMember('bob'), MemberNotFoundError);
      assert.deepEqual((await project.members()).map((m) => m.user), ['alice']);

      await assert.rejects(humle.createProject('churn'), ProjectExistsError);
      await assert.rejects(humle.project('nowhere'), ProjectNotFoundError);
      await assert.rejects(humle.createProject('9lives'), InvalidArgumentError);
      await assert.rejects(project.addMember('carol', 'owner' as never), InvalidArgumentError);
    }));

  test('usage counts online rows and offline files; the owner sets and removes quotas; a bad quota is refused', () =>
    withSdk(async ({ humle }) => {
      const project = await humle.createProject('metered');
      const fs = project.featureStore();
      const group = await fs.createFeatureGroup({
        name: 'clicks',
        version: 1,
        primaryKey: ['id'],
        onlineEnabled: true,
        features: [
          { name: 'id', type: 'bigint' },
          { name: 'n', type: 'int' },
        ],
      });
      await group.insert([{ id: 1, n: 1 }, { id: 2, n: 2 }, { id: 1, n: 3 }]);
      const usage = await project.usage();
      assert.equal(usage.project, 'metered');
      assert.deepEqual(usage.featureGroups.map((g) => [g.name, g.version, g.online?.rows]), [['clicks', 1, 2]]);
      assert.ok(usage.featureGroups[0]!.offline.files >= 2 && usage.featureGroups[0]!.offline.bytes > 0);
      assert.equal(usage.fs.directory, '/Projects/metered');
      assert.deepEqual(usage.quota, { space: null, spaceUsed: usage.fs.spaceConsumed, files: null, filesUsed: usage.fs.files + usage.fs.directories });

      const quota = await project.setQuota({ space: 10 * 2 ** 30, files: 10_000 });
      assert.deepEqual([quota.space, quota.files], [10 * 2 ** 30, 10_000]);
      assert.deepEqual((await project.usage()).quota, quota);
      await assert.rejects(project.setQuota({ files: -1 }), InvalidArgumentError);
      assert.equal((await project.setQuota({ space: null })).files, 10_000);
      assert.deepEqual(await project.setQuota({ files: null }), { ...quota, space: null, files: null });
    }));

  test("API keys of the connection's user: created with scopes, listed without the key, revoked", () =>
    withSdk(async ({ humle }) => {
      const created = await humle.createApiKey('ci', ['featurestore:read']);
      assert.match(created.key, /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
      assert.deepEqual([created.name, created.scopes, created.prefix], ['ci', ['featurestore:read'], created.key.split('.')[0]]);
      const listed = (await humle.listApiKeys()).find((k) => k.name === 'ci');
      assert.deepEqual(listed, { name: 'ci', prefix: created.prefix, scopes: ['featurestore:read'], createdAt: created.createdAt });
      assert.ok(!('key' in listed!));
      await humle.revokeApiKey('ci');
      assert.equal((await humle.listApiKeys()).some((k) => k.name === 'ci'), false);
      await assert.rejects(humle.revokeApiKey('ci'), ApiKeyNotFoundError);
      await assert.rejects(humle.createApiKey('bad name'), InvalidArgumentError);
      await assert.rejects(humle.createApiKey('odd', ['everything' as never]), InvalidArgumentError);
    }));
});
