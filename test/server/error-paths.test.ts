import assert from 'node:assert/strict';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import { typedFailureOf } from '../../src/server/request-failure.js';
import { remoteExceptionOf } from '../../src/server/webhdfs/remote-exception.js';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';

const P = '/api/v1/projects/alpha';
const GROUP_DIR = '/Projects/alpha/alpha_featurestore.db/events_1';

/** The server's data directory, from where its block store keeps block 0 (<dataDir>/blocks/00/blk_0). */
function dataDirOf(world: ServerWorld): string {
  return dirname(dirname(dirname(world.humle.fs.blockStore.localPath(0)!)));
}

/** No server path in an answer: neither the data directory (blocks, database) nor the server's temporary files. */
function assertNoServerPath(world: ServerWorld, text: string): void {
  assert.ok(!text.includes(dataDirOf(world)), `names the data directory: ${text}`);
  assert.ok(!text.includes(`${tmpdir()}/humle-`), `names a temporary file: ${text}`);
  assert.ok(!/blk_\d/.test(text), `names a block file: ${text}`);
}

/** A group `events` with one commit: one Parquet data file, kept in a block. */
async function createEvents(world: ServerWorld): Promise<void> {
  const key = world.keys.alice;
  const spec = { name: 'events', primaryKey: ['id'], features: [{ name: 'id', type: 'bigint' }, { name: 'v', type: 'double' }] };
  assert.equal((await world.call('POST', `${P}/featuregroups`, { key, json: spec })).status, 201);
  const inserted = await world.call('POST', `${P}/featuregroups/events/1/rows`, { key, body: 'id,v\n1,1.5\n2,2.5\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(inserted.status, 201, await inserted.clone().text());
}

/** The block file of the group's one data file, on the server's disk. */
async function dataFileBlock(world: ServerWorld): Promise<string> {
  const listing = await world.humle.fs.listStatus(GROUP_DIR);
  const parquet = listing.entries.find((e) => e.path.endsWith('.parquet'));
  assert.ok(parquet !== undefined, 'the group has a Parquet data file');
  const blocks = await world.humle.fs.engine.read((tx) => tx.rows('SELECT b.block_id FROM fs_blocks b JOIN fs_inodes i ON i.id = b.inode_id WHERE i.name = ?', [parquet.path.split('/').pop()!]));
  return world.humle.fs.blockStore.localPath(Number(blocks[0]![0]))!;
}

for (const kind of testEngines()) {
  describe(`answers name humle paths, never the server's (${kind})`, () => {
    it('/query/sql shows the data files by their humle paths, not their block files', async () => {
      await withServer(kind, async (world) => {
        await createEvents(world);
        const response = await world.call('POST', `${P}/query/sql`, { key: world.keys.carol, json: { query: { featureGroup: { name: 'events' }, features: ['id', 'v'] } } });
        assert.equal(response.status, 200);
        const { sql } = (await response.json()) as { sql: string };
        assertNoServerPath(world, sql);
        assert.match(sql, new RegExp(`read_parquet\\(\\['${GROUP_DIR}/[^']+\\.parquet'\\]`));
      });
    });

    it('a damaged data file: the read error names no block file', async () => {
      await withServer(kind, async (world) => {
        await createEvents(world);
        await truncate(await dataFileBlock(world), 10);
        const rows = await world.call('GET', `${P}/featuregroups/events/1/rows`, { key: world.keys.carol });
        const query = await world.call('POST', `${P}/query`, { key: world.keys.carol, json: { query: { featureGroup: { name: 'events' }, features: ['id', 'v'] } } });
        for (const response of [rows, query]) {
          const text = await response.text();
          assert.ok(response.status >= 400, text);
          assert.equal(typeof JSON.parse(text).code, 'string');
          assertNoServerPath(world, text);
        }
      });
    });

    it('a failing insert body (not Parquet) names no temporary file', async () => {
      await withServer(kind, async (world) => {
        await createEvents(world);
        const response = await world.call('POST', `${P}/featuregroups/events/1/rows`, { key: world.keys.alice, body: 'this is not parquet', headers: { 'content-type': 'application/vnd.apache.parquet' } });
        const text = await response.text();
        assert.equal(response.status, 400, text);
        assertNoServerPath(world, text);
      });
    });

    it('every error answer (REST, WebHDFS, RonDB all come through typedFailureOf) hides server paths in message and details', async () => {
      await withServer(kind, async (world) => {
        const block = world.humle.fs.blockStore.localPath(42)!;
        const spill = `${tmpdir()}/humle-duckdb-1-0/duckdb_temp_storage-0.tmp`;
        const typed = typedFailureOf(new InvalidArgumentError(`cannot read '${block}' nor ${spill}`, { file: block, files: [spill], humle: '/Projects/alpha/x' }))!;
        assertNoServerPath(world, JSON.stringify(typed.toJSON()));
        assert.equal(typed.message, "cannot read '<block 42>' nor <server file>");
        assert.deepEqual(typed.details, { file: '<block 42>', files: ['<server file>'], humle: '/Projects/alpha/x' });
        assert.ok(typed instanceof InvalidArgumentError);
        assert.equal(typed.code, 'INVALID_ARGUMENT');
        const remote = remoteExceptionOf(new InvalidArgumentError(`cannot read '${block}'`));
        assert.equal(remote.body.RemoteException.message, "cannot read '<block 42>'");
      });
    });
  });
}
