#!/usr/bin/env node
// The single test command behind `npm test`: runs every compiled test file with node's test runner, against both
// engines. MariaDB comes from HUMLE_TEST_MYSQL_URL, or is started here (scripts/mariadb-test-server.sh) when the
// machine has mariadbd; HUMLE_TEST_ENGINES=sqlite runs the SQLite half alone, on purpose.
// Then the Python SDK: mypy --strict on it and its suite, and its pytest suite (python/tests), when the Python test
// environment exists (scripts/python-env.sh made it; .ci/run does) and the SQLite engine is among the engines: the
// suite starts its own `humle server` on SQLite, since it tests the SDK and the wire, not the engines.
// HUMLE_SKIP_PYTHON=1 skips it on purpose. Arguments filter test files by path; `python` selects the Python SDK.
// Hadoop's own clients and FileSystem contract suites run as node test files (test/server/real-clients.test.ts,
// test/server/webhdfs-hadoop-contract.test.ts), with the jars scripts/hadoop-client.sh and scripts/hadoop-contract.sh
// fetched; HUMLE_SKIP_HADOOP=1 skips them on purpose.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
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
// Filters match paths from the repository root, so that the directory it is in never matches by itself.
const files = testFiles(join(root, 'dist/test')).filter((f) => filter.length === 0 || filter.some((p) => relative(root, f).includes(p)));
let status = 0;
if (files.length > 0) {
  status = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env, cwd: root }).status ?? 1;
}

const venvPython = join(root, process.env.HUMLE_PYTHON_VENV ?? '.venv-test', 'bin', 'python');
const wantPython = filter.length === 0 || filter.some((p) => 'python/tests'.includes(p));
if (wantPython && process.env.HUMLE_SKIP_PYTHON !== '1') {
  if (!engines.includes('sqlite')) {
    console.log('# Python SDK suite skipped: it runs against a SQLite server, and HUMLE_TEST_ENGINES has no sqlite');
  } else if (!existsSync(venvPython)) {
    console.log('# Python SDK suite skipped: no Python test environment (bash scripts/python-env.sh makes it)');
  } else {
    // The environment's SDK is reinstalled from python/ when its sources changed since.
    const python = execFileSync('bash', [join(root, 'scripts/python-env.sh')], { encoding: 'utf8', cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
    // Its types first (mypy --strict, configured in python/pyproject.toml), then its suite.
    for (const args of [['-m', 'mypy'], ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests']]) {
      const run = spawnSync(python, args, { stdio: 'inherit', env, cwd: join(root, 'python') });
      if ((run.status ?? 1) !== 0) status = run.status ?? 1;
    }
  }
}
process.exit(status);
