import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../support/engines.js';
import { withHumle } from '../support/humle-fixture.js';

// Specification: upserts find each record's current file however often its file was rewritten, merged or vacuumed
// away (the record index resolves moved records through file successors), so every upsert replaces exactly the
// record it names and leaves every other record as it was.

const ts = new Date('2026-01-01T00:00:00Z');

for (const kind of testEngines()) {
  describe(`record lineage through rewrites, compaction and vacuum [${kind}]`, () => {
    test('upserts after rewrites, compactions and vacuums replace exactly their records', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('lineage')).featureStore();
        const fg = await fs.createFeatureGroup({
          name: 'accounts',
          primaryKey: ['id'],
          eventTime: 'ts',
          features: [
            { name: 'id', type: 'bigint' },
            { name: 'ts', type: 'timestamp' },
            { name: 'value', type: 'bigint' },
          ],
        });
        const expected = new Map<number, number>();
        const upsert = async (ids: number[], value: number) => {
          const commit = await fg.insert(ids.map((id) => ({ id, ts, value })));
          const updated = ids.filter((id) => expected.has(id)).length;
          for (const id of ids) expected.set(id, value);
          assert.equal(commit.rowsUpdated, updated);
          assert.equal(commit.rowsInserted, ids.length - updated);
        };
        const check = async () => {
          const rows = await fg.read();
          assert.equal(rows.length, expected.size);
          for (const row of rows) assert.equal(row.value, expected.get(Number(row.id)), `record ${row.id}`);
        };
        for (let b = 0; b < 6; b++) await upsert(Array.from({ length: 10 }, (_, i) => b * 10 + i), b);
        await upsert([3, 13, 23], 100); // rewrites three files: their other records move to successors
        await upsert([4, 14], 101); // rewrites those successors: the first files' records follow
        await fg.compact(); // merges everything: every record moves once more
        await check();
        await upsert([5, 55], 102);
        await fg.vacuum({ retain: 0 }); // forgets every removed file: the index names live files again
        await upsert([3, 6, 56, 60], 103);
        await fg.removeRows([{ id: 14 }]);
        expected.delete(14);
        await check();
        await fg.compact();
        await fg.vacuum({ retain: 0 });
        await upsert([0, 59], 104);
        await check();
      }));
  });
}
