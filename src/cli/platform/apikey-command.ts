import { Option, type Command } from 'commander';
import { checkProjectName } from '../../featurestore/project/project-name.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../platform/api-key-scopes.js';
import { checkKeyName } from '../../platform/api-keys.js';
import { checkAssignableRole } from '../../platform/project-role.js';
import { humleAction, type HumleCommandContext } from '../humle-action.js';
import { formatTable } from '../text-table.js';
import { UsageError } from '../usage-error.js';

interface CreateOptions {
  name?: string;
  scope?: string[];
  project?: string;
  role?: string;
}

/**
 * Gives --user the role in the project: added if not a member, its role changed if it is one (never the owner's).
 * The data directory's administrator does that; a server's key holder cannot give itself a role.
 */
async function grantRole(ctx: HumleCommandContext, projectName: string, role: string): Promise<void> {
  const platform = ctx.administration('apikey create --project');
  const user = ctx.settings.user;
  await platform.users.ensure(user);
  const project = await platform.project(projectName);
  const current = (await platform.listMembers(project)).find((m) => m.user === user);
  if (current === undefined) await platform.addMember(project, user, role);
  else if (current.role !== 'owner') await platform.setMemberRole(project, user, role);
}

/**
 * `humle apikey`: API keys of the command's user: on the data directory --user's (made by its administrator, the
 * user created if new), on a server the calling key's user's. `create` prints the key alone on stdout (so
 * `KEY=$(humle apikey create ...)` works); it is stored hashed and cannot be shown again.
 */
export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command('apikey').description('create, list and revoke API keys for the Humle server');

  apikey
    .command('create')
    .description("create an API key for --user (created if new; with --project and --role, also give it that role), or on a server for the key's user")
    .addOption(new Option('--name <name>', 'the key name, unique per user (default cli-<time>)'))
    .addOption(new Option('--scope <scope...>', `scopes (default: all; on a server the calling key's): ${API_KEY_SCOPES.join(' ')}`).choices(API_KEY_SCOPES))
    .option('--project <name>', 'a project to give the user a role in')
    .addOption(new Option('--role <role>', 'the role in --project').choices(['data_owner', 'data_scientist']))
    .action(
      humleAction<[CreateOptions]>(
        async (ctx, options) => {
          if (options.project !== undefined) await grantRole(ctx, options.project, options.role!);
          const created = await ctx.humle.createApiKey(options.name ?? `cli-${Date.now().toString(36)}`, options.scope as ApiKeyScope[] | undefined);
          await ctx.out.result({ ...created, createdAt: created.createdAt.toISOString() });
          if (!ctx.out.json) await ctx.out.write(`${created.key}\n`);
        },
        (options) => {
          if (options.name !== undefined) checkKeyName(options.name);
          if ((options.project === undefined) !== (options.role === undefined)) throw new UsageError('--project and --role go together');
          if (options.project !== undefined) checkProjectName(options.project);
          if (options.role !== undefined) checkAssignableRole(options.role);
        },
      ),
    );

  apikey
    .command('list')
    .description("list --user's API keys, or on a server the key's user's (names, prefixes and scopes; never the keys)")
    .action(
      humleAction<[]>(async (ctx) => {
        const keys = await ctx.humle.listApiKeys();
        await ctx.out.result(keys.map((k) => ({ ...k, createdAt: k.createdAt.toISOString() })));
        if (!ctx.out.json) await ctx.out.write(formatTable(['NAME', 'PREFIX', 'SCOPES', 'CREATED'], keys.map((k) => [k.name, k.prefix, k.scopes.join(','), k.createdAt.toISOString()])));
      }),
    );

  apikey
    .command('revoke')
    .description("revoke one of --user's API keys (on a server: the key's user's) by name")
    .argument('<name>')
    .action(
      humleAction<[string]>(
        async (ctx, name) => {
          await ctx.humle.revokeApiKey(name);
          await ctx.out.result({ revoked: name });
          await ctx.out.line(`revoked ${name}`);
        },
        (name) => void checkKeyName(name),
      ),
    );
}
