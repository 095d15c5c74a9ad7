import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';
import { arrowTable, parquetOf, parquetRows } from '../support/table-readers.js';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

const GROUPS = '/api/v1/projects/alpha/featuregroups';
const EVENTS = `${GROUPS}/events/1`;

/** A group of every kind of value, keyed by id alone (no event time), so rows can come with any subset of columns. */
const EVENTS_SPEC = {
  name: 'events',
  description: 'every type',
  primaryKey: ['id'],
  onlineEnabled: true,
  features: [
    { name: 'id', type: 'bigint' },
    { name: 'name', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'price', type: 'decimal(10,2)' },
    { name: 'day', type: 'date' },
    { name: 'seen', type: 'timestamp' },
    { name: 'weight', type: 'float' },
    { name: 'tags', type: 'array<string>' },
    { name: 'blob', type: 'binary' },
  ],
};

async function createEvents(world: ServerWorld): Promise<void> {
  const created = await world.call('POST', GROUPS, { key: world.keys.alice, json: EVENTS_SPEC });
  assert.equal(created.status, 201, await created.clone().text());
}

async function insert(world: ServerWorld, body: BodyInit | unknown[] | object, contentType: string, query = '', key = world.keys.alice): Promise<Response> {
  const isText = typeof body === 'string' || body instanceof Uint8Array;
  return world.call('POST', `${EVENTS}/rows${query}`, { key, headers: { 'content-type': contentType }, ...(isText ? { body: body as BodyInit } : { json: body }) });
}

async function commitIds(world: ServerWorld): Promise<number[]> {
  return (await json(await world.call('GET', `${EVENTS}/commits`, { key: world.keys.alice }))).items.map((c: { commitId: number }) => c.commitId);
}

for (const kind of testEngines()) {
  describe(`REST feature groups (${kind})`, () => {
    it('creates, lists, gets, tags, evolves and deletes feature groups; bad names, unknown fields and duplicates are refused', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        await createEvents(world);
        const v2 = await world.call('POST', GROUPS, { key, json: { ...EVENTS_SPEC, description: 'second' } });
        assert.equal(v2.status, 201);
        assert.equal((await json(v2)).version, 2);
        const latest = await json(await world.call('GET', `${GROUPS}/events`, { key }));
        assert.equal(latest.version, 2);
        const first = await json(await world.call('GET', EVENTS, { key }));
        assert.deepEqual([first.description, first.primaryKey, first.eventTime, first.onlineEnabled], ['every type', ['id'], null, true]);
        assert.deepEqual(first.features.map((f: { name: string; type: string }) => `${f.name}:${f.type}`), EVENTS_SPEC.features.map((f) => `${f.name}:${f.type}`));
        assert.equal(first.creator, 'alice', 'the caller, not the server, is recorded as its creator');
        const listed = await json(await world.call('GET', `${GROUPS}?name=events`, { key }));
        assert.deepEqual(listed.items.map((g: { version: number }) => g.version), [1, 2]);

        const refusals: [Response, number, string][] = [
          [await world.call('POST', GROUPS, { key, json: { ...EVENTS_SPEC, version: 1 } }), 409, 'FEATURE_GROUP_EXISTS'],
          [await world.call('POST', GROUPS, { key, json: { ...EVENTS_SPEC, name: 'Events' } }), 400, 'INVALID_REQUEST'],
          [await world.call('POST', GROUPS, { key, json: { ...EVENTS_SPEC, name: 'x'.repeat(64) } }), 400, 'INVALID_REQUEST'],
          [await world.call('POST', GROUPS, { key, json: { ...EVENTS_SPEC, name: 'other', owner: 'dave' } }), 400, 'INVALID_REQUEST'],
          [await world.call('POST', GROUPS, { key, json: { ...EVENTS_SPEC, name: 'other', features: [{ name: 'id', type: 'uuid' }] } }), 400, 'FEATURE_GROUP_INVALID'],
          [await world.call('POST', GROUPS, { key, json: { ...EVENTS_SPEC, name: 'other', primaryKey: ['nope'] } }), 400, 'FEATURE_GROUP_INVALID'],
          [await world.call('GET', `${GROUPS}/bad-name/1`, { key }), 400, 'INVALID_REQUEST'],
          [await world.call('GET', `${GROUPS}/events/0`, { key }), 400, 'INVALID_REQUEST'],
          [await world.call('GET', `${GROUPS}/missing/1`, { key }), 404, 'FEATURE_GROUP_NOT_FOUND'],
          [await world.call('GET', `${GROUPS}/events/9`, { key }), 404, 'FEATURE_GROUP_NOT_FOUND'],
        ];
        for (const [response, status, code] of refusals) {
          const body = await json(response);
          assert.equal(response.status, status, JSON.stringify(body));
          assert.equal(body.code, code);
        }
        assert.deepEqual((await json(await world.call('GET', GROUPS, { key }))).items.map((g: { name: string }) => g.name), ['events', 'events']);

        assert.equal((await world.call('PUT', `${EVENTS}/tags/owner`, { key, json: { value: { team: 'fraud', on_call: ['bob'] } } })).status, 204);
        assert.equal((await world.call('PUT', `${EVENTS}/tags/tier`, { key, json: { value: 1 } })).status, 204);
        assert.equal((await world.call('DELETE', `${EVENTS}/tags/tier`, { key })).status, 204);
        assert.deepEqual(await json(await world.call('GET', `${EVENTS}/tags`, { key })), { owner: { team: 'fraud', on_call: ['bob'] } });
        assert.equal((await world.call('PUT', `${EVENTS}/tags/bad tag`, { key, json: { value: 1 } })).status, 400);

        const appended = await world.call('POST', `${EVENTS}/features`, { key, json: { features: [{ name: 'note', type: 'string', description: 'later' }] } });
        assert.equal(appended.status, 200);
        assert.deepEqual((await json(appended)).features.at(-1), { name: 'note', type: 'string', description: 'later', primary: false, eventTime: false, partition: false });

        assert.equal((await world.call('DELETE', `${GROUPS}/events/2`, { key })).status, 204);
        assert.equal((await world.call('GET', `${GROUPS}/events/2`, { key })).status, 404);
        assert.equal(await world.humle.fs.exists('/Projects/alpha/alpha_featurestore.db/events_2'), false);
      });
    });

    it('inserts JSON, NDJSON, CSV, Parquet and Arrow IPC bodies as commits and reads them back in every format, as of any commit', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        await createEvents(world);
        const bodies: [BodyInit | unknown[] | object, string, string][] = [
          [
            [
              { id: 1, name: 'a', amount: 1.5, price: '1.10', day: '2026-01-01', seen: '2026-01-01T00:00:00.000001Z', weight: 0.1, tags: ['x', 'y'], blob: 'aGk=' },
              { id: '9007199254740993', name: 'big' },
            ],
            'application/json',
            '',
          ],
          [{ rows: [{ id: 2, name: 'b' }], operation: 'insert' }, 'application/json', ''],
          ['{"id":3,"name":"c, d","amount":"3.5"}\n\n', 'application/x-ndjson', ''],
          ['id,name,price\n4,"quote ""q""",4.4\n', 'text/csv', ''],
          [await parquetOf("SELECT 5::BIGINT AS id, 'e' AS name, TIMESTAMP '2026-01-05 00:00:00.123456' AS seen, DATE '2026-01-05' AS day"), 'application/octet-stream', '?format=parquet'],
          [tableToIPC(tableFromArrays({ id: BigInt64Array.from([6n]), name: ['f'], amount: Float64Array.from([6.25]) }), 'stream'), 'application/vnd.apache.arrow.stream', ''],
          [[{ id: 1, name: 'a2' }], 'application/json', '?operation=upsert'],
        ];
        const commits = [];
        for (const [body, type, query] of bodies) {
          const response = await insert(world, body, type, query);
          assert.equal(response.status, 201, await response.clone().text());
          commits.push(await json(response));
        }
        assert.deepEqual(commits.map((c) => c.commitId), [0, 1, 2, 3, 4, 5, 6]);
        assert.deepEqual(commits.map((c) => [c.rowsInserted, c.rowsUpdated]), [[2, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [0, 1]]);
        const history = await json(await world.call('GET', `${EVENTS}/commits`, { key }));
        assert.deepEqual(history.items.map((c: { commitId: number }) => c.commitId), [6, 5, 4, 3, 2, 1, 0]);
        assert.deepEqual(history.items.at(-1), commits[0]);

        // JSON: exact values by one rule (bigints past 2^53 as strings, floats as their float32's shortest decimal).
        const first = await json(await world.call('GET', `${EVENTS}/rows?asOf=0`, { key }));
        assert.deepEqual(first.columns.map((c: { type: string }) => c.type), EVENTS_SPEC.features.map((f) => f.type));
        assert.deepEqual(first.rows, [
          { id: 1, name: 'a', amount: 1.5, price: '1.10', day: '2026-01-01', seen: '2026-01-01T00:00:00.000001Z', weight: 0.1, tags: ['x', 'y'], blob: 'aGk=' },
          { id: '9007199254740993', name: 'big', amount: null, price: null, day: null, seen: null, weight: null, tags: null, blob: null },
        ]);
        const latest = await json(await world.call('GET', `${EVENTS}/rows`, { key }));
        assert.deepEqual(latest.rows.map((r: { id: unknown; name: string }) => [r.id, r.name]), [[1, 'a2'], [2, 'b'], [3, 'c, d'], [4, 'quote "q"'], [5, 'e'], [6, 'f'], ['9007199254740993', 'big']]);
        assert.deepEqual(latest.rows[4], { id: 5, name: 'e', amount: null, price: null, day: '2026-01-05', seen: '2026-01-05T00:00:00.123456Z', weight: null, tags: null, blob: null });
        assert.equal(latest.rows[3].price, '4.40');
        assert.equal((await json(await world.call('GET', `${EVENTS}/rows?limit=2`, { key }))).rows.length, 2);

        // As of a time: the newest commit at or before it.
        const second = history.items.find((c: { commitId: number }) => c.commitId === 1);
        const newestAtThatTime = Math.max(...history.items.filter((c: { committedOn: string }) => c.committedOn <= second.committedOn).map((c: { commitId: number }) => c.commitId));
        const byTime = await json(await world.call('GET', `${EVENTS}/rows?asOf=${encodeURIComponent(second.committedOn)}`, { key }));
        assert.deepEqual(byTime, await json(await world.call('GET', `${EVENTS}/rows?asOf=${newestAtThatTime}`, { key })));
        assert.equal((await world.call('GET', `${EVENTS}/rows?asOf=99`, { key })).status, 404);
        assert.equal((await json(await world.call('GET', `${EVENTS}/rows?asOf=yesterday`, { key }))).code, 'INVALID_ARGUMENT');

        // CSV by Accept, NDJSON by ?format=.
        const csv = await world.call('GET', `${EVENTS}/rows?asOf=0`, { key, headers: { accept: 'text/csv' } });
        assert.equal(csv.headers.get('content-type'), 'text/csv');
        assert.equal(
          await csv.text(),
          'id,name,amount,price,day,seen,weight,tags,blob\n1,a,1.5,1.10,2026-01-01,2026-01-01T00:00:00.000001Z,0.1,"[""x"",""y""]",aGk=\n9007199254740993,big,,,,,,,\n',
        );
        const ndjson = await world.call('GET', `${EVENTS}/rows?format=ndjson`, { key, headers: { accept: 'text/csv' } });
        assert.match(ndjson.headers.get('content-type') ?? '', /^application\/x-ndjson/);
        const lines = (await ndjson.text()).trim().split('\n').map((line) => JSON.parse(line));
        assert.deepEqual(lines, latest.rows);

        // Parquet, read by DuckDB: the feature types, exact microseconds and decimals.
        const parquet = await world.call('GET', `${EVENTS}/rows`, { key, headers: { accept: 'application/vnd.apache.parquet' } });
        assert.equal(parquet.headers.get('content-type'), 'application/vnd.apache.parquet');
        const parquetRead = await parquetRows(
          new Uint8Array(await parquet.arrayBuffer()),
          "id, name, CAST(price AS VARCHAR) AS price, strftime(seen, '%Y-%m-%d %H:%M:%S.%f') AS seen, typeof(price) AS price_type, typeof(seen) AS seen_type",
        );
        assert.equal(parquetRead.length, 7);
        assert.deepEqual(parquetRead[3], { id: 4n, name: 'quote "q"', price: '4.40', seen: null, price_type: 'DECIMAL(10,2)', seen_type: 'TIMESTAMP WITH TIME ZONE' });
        assert.equal(parquetRead[4]!.seen, '2026-01-05 00:00:00.123456');
        assert.equal(parquetRead[6]!.id, 9007199254740993n);

        // Arrow IPC stream: typed columns, exact int64.
        const arrow = await arrowTable(await world.call('GET', `${EVENTS}/rows`, { key, headers: { accept: 'application/vnd.apache.arrow.stream' } }));
        assert.deepEqual(arrow.schema.fields.map((f) => String(f.type)), ['Int64', 'Utf8', 'Float64', 'Utf8', 'Date32<DAY>', 'Timestamp<MICROSECOND, UTC>', 'Float32', 'List<Utf8>', 'Binary']);
        assert.deepEqual([...(arrow.getChild('id')!.toArray() as BigInt64Array)], [1n, 2n, 3n, 4n, 5n, 6n, 9007199254740993n]);

        // What commit 1 changed, with the change data feed's columns.
        const changes = await json(await world.call('GET', `${EVENTS}/changes?from=0&to=1`, { key }));
        assert.deepEqual(changes.columns.slice(-2), [{ name: '_change_type', type: 'string' }, { name: '_commit_version', type: 'bigint' }]);
        assert.deepEqual(changes.rows.map((r: Record<string, unknown>) => [r.id, r._change_type, r._commit_version]), [[2, 'insert', 1]]);
        const upserted = await json(await world.call('GET', `${EVENTS}/changes?from=5`, { key }));
        assert.deepEqual(upserted.rows.map((r: Record<string, unknown>) => [r.name, r._change_type]), [['a', 'update_preimage'], ['a2', 'update_postimage']]);

        // The online table: the latest row per key.
        const online = await json(await world.call('POST', `${EVENTS}/online`, { key, json: { keys: [1, 999, { id: '9007199254740993' }] } }));
        assert.deepEqual(online.rows.map((r: { name: string } | null) => r?.name ?? null), ['a2', null, 'big']);
        assert.equal(online.rows[2].id, '9007199254740993');

        // Deletes by key are a commit too.
        const removed = await world.call('POST', `${EVENTS}/rows/delete`, { key, json: { keys: [{ id: 3 }] } });
        assert.equal((await json(removed)).commit.rowsDeleted, 1);
        assert.deepEqual((await json(await world.call('POST', `${EVENTS}/rows/delete`, { key, json: { keys: [{ id: 3 }] } }))).commit, null);
        assert.deepEqual(await commitIds(world), [7, 6, 5, 4, 3, 2, 1, 0]);
      });
    });

    it('refuses bad bodies, wrong content types and oversized bodies with typed errors, and changes nothing', async () => {
      await withServer(
        kind,
        async (world) => {
          const key = world.keys.alice;
          await createEvents(world);
          assert.equal((await insert(world, [{ id: 1, name: 'a' }], 'application/json')).status, 201);
          const before = await json(await world.call('GET', `${EVENTS}/rows`, { key }));
          let chunksSent = 0;
          const chunked = new ReadableStream({
            pull(controller) {
              if (chunksSent++ < 20) controller.enqueue(new TextEncoder().encode(`${'9'.repeat(8 * 1024)}\n`));
              else controller.close();
            },
          });
          const cases: [Response, number, string, Record<string, unknown>?][] = [
            [await insert(world, 'id,name,amount\n2,b,1\n3,c,lots\n', 'text/csv'), 400, 'FEATURE_INVALID_DATA', { row: 1, column: 'amount' }],
            [await insert(world, 'id,name,colour\n2,b,red\n', 'text/csv'), 400, 'FEATURE_INVALID_DATA', { column: 'colour' }],
            [await insert(world, 'id,name\n2,b,extra\n', 'text/csv'), 400, 'FEATURE_INVALID_DATA'],
            [await insert(world, '{"id":2}\nnot json\n', 'application/x-ndjson'), 400, 'FEATURE_INVALID_DATA', { row: 1, line: 2 }],
            [await insert(world, '[{"id": 2', 'application/json'), 400, 'MALFORMED_JSON'],
            [await insert(world, [{ id: 2, colour: 'red' }], 'application/json'), 400, 'FEATURE_INVALID_DATA', { row: 0, column: 'colour' }],
            [await insert(world, [{ id: null, name: 'x' }], 'application/json'), 400, 'FEATURE_INVALID_DATA', { row: 0, column: 'id' }],
            [await insert(world, { rows: [{ id: 2 }], mode: 'fast' }, 'application/json'), 400, 'INVALID_REQUEST'],
            [await insert(world, { rows: [{ id: 2 }], operation: 'insert' }, 'application/json', '?operation=upsert'), 400, 'INVALID_ARGUMENT'],
            [await insert(world, [{ id: 1, name: 'again' }], 'application/json', '?operation=insert'), 409, 'FEATURE_DUPLICATE_RECORD'],
            [await insert(world, [{ id: 2 }], 'application/json', '?operation=merge'), 400, 'INVALID_REQUEST'],
            [await insert(world, 'id\n2\n', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
            [await insert(world, 'id\n2\n', 'application/xml'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
            [await insert(world, new Uint8Array([1, 2, 3]), 'application/octet-stream'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
            [await insert(world, new TextEncoder().encode('not parquet'), 'application/vnd.apache.parquet'), 400, 'INVALID_ARGUMENT'],
            [await insert(world, new TextEncoder().encode('not arrow'), 'application/vnd.apache.arrow.stream'), 400, 'INVALID_ARGUMENT'],
            [await insert(world, `id\n${'9'.repeat(100 * 1024)}\n`, 'text/csv'), 413, 'PAYLOAD_TOO_LARGE'],
            [await world.call('POST', `${EVENTS}/rows`, { key, headers: { 'content-type': 'text/csv' }, body: chunked }), 413, 'PAYLOAD_TOO_LARGE'],
            [await insert(world, [{ id: 2, name: 'n'.repeat(2 * 1024 * 1024) }], 'application/json'), 413, 'PAYLOAD_TOO_LARGE'],
            [await world.call('GET', `${EVENTS}/rows?format=xml`, { key }), 400, 'INVALID_REQUEST'],
            [await world.call('GET', `${EVENTS}/rows`, { key, headers: { accept: 'image/png' } }), 406, 'NOT_ACCEPTABLE'],
            [await world.call('GET', `${EVENTS}/rows?limit=0`, { key }), 400, 'INVALID_REQUEST'],
            [await world.call('GET', `${EVENTS}/changes`, { key }), 400, 'INVALID_REQUEST'],
          ];
          for (const [response, status, code, details] of cases) {
            const body = await json(response);
            assert.equal(response.status, status, JSON.stringify(body));
            assert.equal(body.code, code);
            assert.equal(typeof body.message, 'string');
            for (const [name, value] of Object.entries(details ?? {})) assert.equal(body.details[name], value, JSON.stringify(body));
          }
          assert.deepEqual(await commitIds(world), [0]);
          assert.deepEqual(await json(await world.call('GET', `${EVENTS}/rows`, { key })), before);
        },
        { insertBodyLimit: 64 * 1024 },
      );
    });

    it('rights: members read, data scientists and read-only keys cannot write (403), others get 404 as for a missing project, bad keys 401', async () => {
      await withServer(kind, async (world) => {
        await createEvents(world);
        assert.equal((await insert(world, [{ id: 1, name: 'a' }], 'application/json')).status, 201);
        const readOnly = (await world.humle.platform.apiKeys.create('bob', 'reader', ['featurestore:read'])).key;
        const revoked = (await world.humle.platform.apiKeys.create('bob', 'old', ['featurestore:read', 'featurestore:write'])).key;
        await world.humle.platform.apiKeys.revoke('bob', 'old');
        for (const key of [world.keys.bob, world.keys.carol, readOnly]) {
          assert.equal((await world.call('GET', `${EVENTS}/rows`, { key })).status, 200);
        }
        const denied: Response[] = [
          await insert(world, [{ id: 2 }], 'application/json', '', world.keys.carol),
          await insert(world, 'id\n2\n', 'text/csv', '', world.keys.carol),
          await insert(world, [{ id: 2 }], 'application/json', '', readOnly),
          await world.call('POST', GROUPS, { key: world.keys.carol, json: { ...EVENTS_SPEC, name: 'carols' } }),
          await world.call('DELETE', EVENTS, { key: world.keys.carol }),
          await world.call('POST', `${EVENTS}/rows/delete`, { key: world.keys.carol, json: { keys: [{ id: 1 }] } }),
          await world.call('PUT', `${EVENTS}/tags/x`, { key: world.keys.carol, json: { value: 1 } }),
          await world.call('POST', `${EVENTS}/statistics`, { key: world.keys.carol }),
        ];
        for (const response of denied) {
          assert.equal(response.status, 403);
          assert.equal((await json(response)).code, 'ACCESS_DENIED');
        }
        // A project one is not in answers exactly as one that does not exist.
        const other = await world.call('GET', `${EVENTS}/rows`, { key: world.keys.dave });
        const missing = await world.call('GET', '/api/v1/projects/gamma/featuregroups/events/1/rows', { key: world.keys.dave });
        assert.equal(other.status, 404);
        assert.equal(missing.status, 404);
        const [a, b] = [await json(other), await json(missing)];
        assert.equal(a.code, 'PROJECT_NOT_FOUND');
        assert.deepEqual({ ...a, message: a.message.replace('alpha', 'P'), details: {} }, { ...b, message: b.message.replace('gamma', 'P'), details: {} });
        assert.equal((await insert(world, 'id\n2\n', 'text/csv', '', world.keys.dave)).status, 404);
        for (const headers of [{}, { 'x-api-key': revoked }, { 'x-api-key': 'nonsense' }] as Record<string, string>[]) {
          const response = await world.call('GET', `${EVENTS}/rows`, { headers });
          assert.equal(response.status, 401);
          assert.equal((await json(response)).code, 'UNAUTHENTICATED');
        }
        assert.deepEqual(await commitIds(world), [0]);
        assert.deepEqual((await json(await world.call('GET', GROUPS, { key: world.keys.alice }))).items.map((g: { name: string }) => g.name), ['events']);
      });
    });

    it('statistics, validation reports, compaction and vacuum', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const spec = {
          name: 'checked',
          primaryKey: ['id'],
          features: [{ name: 'id', type: 'bigint' }, { name: 'score', type: 'double' }],
          statisticsConfig: { histograms: false, exactUniqueness: true },
          expectations: { expectations: [{ kind: 'between', feature: 'score', min: 0, max: 1 }], validationIngestionPolicy: 'strict' },
        };
        assert.equal((await world.call('POST', GROUPS, { key, json: spec })).status, 201);
        const group = `${GROUPS}/checked/1`;
        const post = (body: unknown, query = '') => world.call('POST', `${group}/rows${query}`, { key, json: body });
        const rejected = await post([{ id: 1, score: 2 }]);
        assert.equal(rejected.status, 400);
        assert.equal((await json(rejected)).code, 'FEATURE_VALIDATION_FAILED');
        assert.equal((await post([{ id: 1, score: 0.5 }, { id: 2, score: 0.25 }], '?waitForStatistics=true')).status, 201);
        const reports = await json(await world.call('GET', `${group}/validations`, { key }));
        assert.deepEqual(reports.items.map((r: { ingestionResult: string; commitId: number | null }) => [r.ingestionResult, r.commitId]), [['INGESTED', 0], ['REJECTED', null]]);
        const onlyRejected = await json(await world.call('GET', `${group}/validations?ingestionResult=REJECTED`, { key }));
        assert.equal(onlyRejected.items.length, 1);
        assert.equal(onlyRejected.items[0].report.success, false);

        const statistics = await json(await world.call('GET', `${group}/statistics`, { key }));
        assert.equal(statistics.commitId, 0);
        assert.equal(statistics.rowCount, 2);
        const score = statistics.features.find((f: { feature: string }) => f.feature === 'score');
        assert.deepEqual([score.min, score.max, score.distinct], [0.25, 0.5, 2]);
        assert.equal((await world.call('GET', `${group}/statistics?asOf=5`, { key })).status, 404);
        const computed = await world.call('POST', `${group}/statistics`, { key });
        assert.equal(computed.status, 200);
        assert.equal((await json(computed)).rowCount, 2);

        assert.equal((await post([{ id: 3, score: 0.75 }])).status, 201);
        const compacted = await json(await world.call('POST', `${group}/compact`, { key }));
        assert.equal(compacted.commit.operation, 'compact');
        const vacuumed = await json(await world.call('POST', `${group}/vacuum`, { key, json: { retainMs: 0 } }));
        assert.equal(vacuumed.oldestVersion, 2);
        assert.ok(vacuumed.filesDeleted >= 2);
        assert.equal((await world.call('GET', `${group}/rows?asOf=0`, { key })).status, 404);
        assert.equal((await json(await world.call('GET', `${group}/rows`, { key }))).rows.length, 3);
      });
    });

    it('documents the feature group routes in the OpenAPI document, with every insert media type', async () => {
      await withServer(kind, async (world) => {
        const doc = await json(await world.call('GET', '/api/v1/openapi.json'));
        for (const path of ['', '/{name}', '/{name}/{version}', '/{name}/{version}/rows', '/{name}/{version}/changes', '/{name}/{version}/commits', '/{name}/{version}/statistics', '/{name}/{version}/validations', '/{name}/{version}/tags/{tag}']) {
          assert.ok(doc.paths[`/api/v1/projects/{project}/featuregroups${path}`], `missing ${path}`);
        }
        const insertRoute = doc.paths['/api/v1/projects/{project}/featuregroups/{name}/{version}/rows'];
        assert.deepEqual(Object.keys(insertRoute.post.requestBody.content).sort(), [
          'application/json',
          'application/octet-stream',
          'application/vnd.apache.arrow.file',
          'application/vnd.apache.arrow.stream',
          'application/vnd.apache.parquet',
          'application/x-ndjson',
          'text/csv',
        ]);
        assert.ok(insertRoute.get.responses['200'].content['text/csv']);
        assert.ok(insertRoute.post.responses['413']);
      });
    });
  });
}
