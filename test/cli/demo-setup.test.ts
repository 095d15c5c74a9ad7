import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Humle } from '../../src/humle.js';
import { AuthenticationError } from '../../src/errors/platform-errors.js';

// `npm start` runs scripts/demo-setup.sh, then the server. The setup must leave the same demo state on every run of
// one data directory, whatever a user did in between (the README's remote SDK example makes a view `spend` over the
// demo's group and inserts a row), and must stop on any error instead of swallowing it.

const SETUP = fileURLToPath(new URL('../../../scripts/demo-setup.sh', import.meta.url));

interface SetupRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runSetup(dataDir: string): Promise<SetupRun> {
  // The user's own HUMLE_* settings must not reach the script: only the data directory given here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUMLE_')));
  const child = spawn('bash', [SETUP], { env: { ...env, HUMLE_DATA: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function printedKey(run: SetupRun): string {
  const match = /^API key: (\S+)$/m.exec(run.stdout);
  assert.ok(match, `the setup prints the demo key:\n${run.stdout.slice(-2000)}`);
  return match[1]!;
}

test('the demo setup run twice on one data directory leaves the same state, after a user changed it in between', { timeout: 600_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'humle-demo-'));
  try {
    const first = await runSetup(dataDir);
    assert.equal(first.code, 0, first.stderr);
    const firstKey = printedKey(first);

    // What the README's remote SDK example does to the demo: a view over its group and one more row.
    const between = await Humle.open({ dataDir, user: userInfo().username });
    try {
      const fs = (await between.project('demo')).featureStore();
      const transactions = await fs.getFeatureGroup('transactions', 1);
      await transactions.insert([{ cc_num: 4545, ts: new Date(), amount: 7.5, category: 'books' }]);
      await fs.createFeatureView({ name: 'spend', query: transactions.select(['cc_num', 'amount']) });
    } finally {
      await between.close();
    }

    const second = await runSetup(dataDir);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /removed feature view spend version 1/);
    assert.match(second.stdout, /into transactions version 1: commit 0/);
    assert.doesNotMatch(second.stdout, /transactions version 2/);
    const secondKey = printedKey(second);

    const humle = await Humle.open({ dataDir, user: userInfo().username });
    try {
      const fs = (await humle.project('demo')).featureStore();
      assert.deepEqual((await fs.getFeatureGroups('transactions')).map((g) => g.version), [1]);
      const transactions = await fs.getFeatureGroup('transactions', 1);
      const rows = await transactions.read();
      assert.deepEqual(rows.map((r) => Number(r.cc_num)).sort(), [4242, 4242, 4343, 4444]);
      assert.deepEqual(Object.keys(await transactions.commitDetails()).sort(), ['0', '1']);
      assert.deepEqual((await fs.getFeatureViews()).map((v) => `${v.name} ${v.version}`), ['transactions_fv 1']);
      // One demo key: the last run's no longer works, the new one does.
      await assert.rejects(humle.platform.authenticate(firstKey), AuthenticationError);
      assert.equal((await humle.platform.authenticate(secondKey)).user, 'demo_user');
    } finally {
      await humle.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
