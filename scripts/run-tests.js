#!/usr/bin/env node
// The single test command behind `npm test`: runs every compiled test file with node's test runner, against both
// engines. MariaDB comes from HUMLE_TEST_MYSQL_URL, or is started here (scripts/mariadb-test-server.sh) when the
// machine has mariadbd; HUMLE_TEST_ENGINES=sqlite runs the SQLite half alone, on purpose.
import { spawnSync, execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engines = (process.env.HUMLE_TEST_ENGINES ?? 'sqlite,mysql').split(',');
const env = { ...process.env, HUMLE_TEST_ENGINES: engines.join(',') };

if (engines.includes('mysql') && !env.HUMLE_TEST_MYSQL_URL) {
  try {
    env.HUMLE_TEST_MYSQL_URL = execFileSync('bash', [join(root, 'scripts/mariadb-test-server.sh'), 'start'], { encoding: 'utf8' }).trim().split('\n').pop();
  } catch (error) {
    console.error('Cannot start MariaDB for the MySQL-engine tests (install mariadb-server, set HUMLE_TEST_MYSQL_URL,');
    console.error('or run only the SQLite half with HUMLE_TEST_ENGINES=sqlite).');
    console.error(String(error));
    process.exit(1);
  }
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = testFiles(join(root, 'dist/test')).filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env, cwd: root });
process.exit(result.status ?? 1);
