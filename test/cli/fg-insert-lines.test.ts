import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServerProcess } from '../support/server-process.js';
import { describeCli, type Cli } from './cli-harness.js';

// A refused row of `humle fg insert FILE` is named by the file's line, as an editor shows it (the CSV header is line 1),
// on the data directory and through a server alike: rows counted from 0 point one line off, or more past blank lines.

const CREATE = ['fg', '--project', 'fraud', 'create', 'transactions', '--primary-key', 'cc_num', '--event-time', 'ts', '--feature', 'cc_num:bigint', '--feature', 'ts:timestamp', '--feature', 'amount:double'];
// Row 1 (0-based) is bad; with the header and a blank line before it, it is on line 4.
const BAD_CSV = 'cc_num,ts,amount\n4242,2026-01-01T10:00:00Z,12.5\n\n4343,2026-01-01T11:00:00Z,ten\n';
const BAD_NDJSON = '{"cc_num":4242,"ts":"2026-01-01T10:00:00Z","amount":1}\n{"cc_num":4343,"ts":"2026-01-01T11:00:00Z","amount":"ten"}\n';

function localFile(cli: Cli, name: string, text: string): string {
  const path = join(cli.local, name);
  writeFileSync(path, text);
  return path;
}

async function refusedInsert(cli: Cli, globals: string[], file: string, shown: string): Promise<{ message: string; details: Record<string, unknown> }> {
  const text = await cli.run([...globals, 'fg', '--project', 'fraud', 'insert', 'transactions', file]);
  assert.equal(text.code, 7, text.stderr);
  assert.match(text.stderr, new RegExp(`^humle: line \\d+ of ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, column 'amount': `));
  return cli.fails(7, [...globals, 'fg', '--project', 'fraud', 'insert', 'transactions', file]);
}

describeCli('humle fg insert names the line of a refused row', (withCli) => {
  test('CSV and NDJSON, on the data directory and through a server', () =>
    withCli(async (cli) => {
      await cli.ok(['project', 'create', 'fraud', '--owner', 'alice']);
      await cli.ok(CREATE);
      const csv = localFile(cli, 'day1.csv', BAD_CSV);
      const ndjson = localFile(cli, 'late.ndjson', BAD_NDJSON);

      const local = await refusedInsert(cli, [], csv, csv);
      assert.match(local.message, /^line 4 of .*day1\.csv, column 'amount': /);
      assert.deepEqual([local.details.line, local.details.row, local.details.column], [4, 1, 'amount']);
      assert.match((await refusedInsert(cli, [], ndjson, ndjson)).message, /^line 2 of .*late\.ndjson, column 'amount': /);

      const key = (await cli.ok(['apikey', 'create', '--name', 'laptop'], { user: 'alice' })).stdout.trim();
      const server = await startServerProcess({ dataDir: cli.store.dataDir, dbUrl: cli.store.url, user: 'hdfs' });
      try {
        const remote = ['--url', server.url, '--api-key', key];
        const through = await refusedInsert(cli, remote, csv, csv);
        assert.match(through.message, /^line 4 of .*day1\.csv, column 'amount': /);
        assert.equal(through.details.line, 4);
      } finally {
        assert.equal(await server.stop(), 0);
      }
      assert.equal((await cli.json<unknown[]>(['fg', '--project', 'fraud', 'commits', 'transactions'])).length, 0, 'nothing was committed');
    }));
});
