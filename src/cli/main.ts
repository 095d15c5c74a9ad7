#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, exitCodeOf } from './exit-codes.js';
import { registerFgCommands } from './fg/fg-command.js';
import { registerFsCommands } from './fs/fs-command.js';
import { registerApiKeyCommands } from './platform/apikey-command.js';
import { registerProjectCommands } from './platform/project-command.js';
import { registerServerCommand } from './server/server-command.js';
import { Output } from './output.js';
import { ReportedFailure } from './reported-failure.js';
import { UsageError } from './usage-error.js';

/**
 * The command groups of `humle`, each adding its command (`humle fs ...`) to the program; they see the global
 * options through `optsWithGlobals()`.
 */
const COMMAND_GROUPS: ((program: Command) => void)[] = [registerFsCommands, registerFgCommands, registerProjectCommands, registerApiKeyCommands, registerServerCommand];

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function buildProgram(): Command {
  const program = new Command('humle')
    .description('Humle: a feature store and ML data platform on a HopsFS-style file system')
    // -V only: commander would take a program's --version anywhere on the line, and `--version N` is an option of
    // the fg subcommands (a feature group version). --version before any command still means -V (see run).
    .version(version(), '-V', 'output the version number (also --version before the command)')
    // -h is an option of du and count (human-readable sizes), as in hdfs dfs; help is --help only.
    .helpOption('--help', 'show help')
    .exitOverride()
    // Parse errors are printed by run() so that --json can shape them; help text still goes out as usual.
    .configureOutput({ outputError: () => undefined })
    .addOption(new Option('--data <dir>', 'data directory (env HUMLE_DATA, default ~/.humle)'))
    .addOption(new Option('--db <url>', 'metadata database: sqlite, or mysql://user:pass@host:port/db[?engine=ndbcluster] (env HUMLE_DB)'))
    .addOption(new Option('--user <name>', 'run as this user (env HUMLE_USER, default the OS user)'))
    .addOption(new Option('--groups <list>', "the user's groups, comma-separated (env HUMLE_GROUPS, default the user's name)"))
    .addOption(new Option('--url <url>', 'a Humle server: project, apikey and fg commands work on it instead of the data directory (env HUMLE_URL)'))
    .addOption(new Option('--api-key <key>', 'the API key to call --url with (env HUMLE_API_KEY)'))
    .addOption(new Option('--json', 'machine-readable output: results as JSON on stdout, errors as {"error":{...}} on stderr'));
  for (const register of COMMAND_GROUPS) register(program);
  return program;
}

/** `--version` before the command group is the program's -V; after it, the command's own option. */
function programVersionFlag(program: Command, argv: readonly string[]): readonly string[] {
  const at = argv.indexOf('--version');
  if (at === -1) return argv;
  const groups = new Set(program.commands.map((command) => command.name()));
  const group = argv.findIndex((arg) => groups.has(arg));
  return group !== -1 && group < at ? argv : [...argv.slice(0, at), '-V', ...argv.slice(at + 1)];
}

/** Runs the command line and returns the exit code; never throws. */
async function run(argv: readonly string[]): Promise<number> {
  // Known before parsing, so that even a parse error can be reported as JSON.
  const out = new Output(argv.includes('--json'));
  try {
    const program = buildProgram();
    await program.parseAsync(programVersionFlag(program, argv), { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof ReportedFailure) return error.exitCode;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      // No subcommand given: commander has printed the help; that is a usage error.
      if (error.code === 'commander.help') return ExitCode.usage;
      out.error(new UsageError(error.message.replace(/^error: /, ''), { commander: error.code }));
      return ExitCode.usage;
    }
    out.error(error);
    return exitCodeOf(error);
  }
}

// A closed pipe (`humle fs cat big | head`) is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
  throw error;
});

process.exitCode = await run(process.argv.slice(2));
