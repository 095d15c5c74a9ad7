import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The outside clients the interoperability tests drive (Python `hdfs`, Hadoop's FsShell and contract suites) come from
// scripts/*.sh, which .ci/run runs first; a test skips only when HUMLE_SKIP_PYTHON=1 / HUMLE_SKIP_HADOOP=1 says so,
// never because a client happens to be missing.

const run = promisify(execFile);

/** The repository's root (tests run compiled, from dist/test/support). */
export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The reason to skip the Python client tests (node:test's `skip`), or false. */
export const skipPython: string | false = process.env.HUMLE_SKIP_PYTHON === '1' ? 'HUMLE_SKIP_PYTHON=1' : false;
/** The reason to skip the Hadoop client tests (node:test's `skip`), or false. */
export const skipHadoop: string | false = process.env.HUMLE_SKIP_HADOOP === '1' ? 'HUMLE_SKIP_HADOOP=1' : false;

/** The last line a setup script of scripts/ prints: the path (a python, a classpath) it set up. */
export async function setupScriptOutput(script: string): Promise<string> {
  const { stdout } = await run('bash', [join(repositoryRoot, 'scripts', script)], { cwd: repositoryRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const output = stdout.trim().split('\n').pop();
  if (!output) throw new Error(`scripts/${script} printed nothing`);
  return output;
}
