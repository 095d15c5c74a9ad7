import { Option, type Command } from 'commander';
import { checkProjectName } from '../../featurestore/project/project-name.js';
import { checkAssignableRole } from '../../platform/project-role.js';
import { checkUserName } from '../../platform/user-name.js';
import { humleAction } from '../humle-action.js';
import { formatTable } from '../text-table.js';
import { registerProjectUsageCommands } from './project-usage-command.js';

const ROLE_OPTION = () => new Option('--role <role>', 'data_owner (read/write) or data_scientist (read)').choices(['data_owner', 'data_scientist']).makeOptionMandatory();

/**
 * `humle project`: projects and their members, on the data directory as its administrator (users named here are
 * created on first use; `humle apikey create` gives them keys), or on a server as the API key's user, whose roles
 * the server checks.
 */
export function registerProjectCommands(program: Command): void {
  const project = program.command('project').description('create projects, list them, manage their members, show their usage and set their quotas');

  project
    .command('create')
    .description('create a project: /Projects/NAME owned by the owner and the project group, and its feature store')
    .argument('<name>')
    .option('--owner <user>', 'the owner (default: --user, HUMLE_USER or the OS user; on a server the key\'s user)')
    .action(
      humleAction<[string, { owner?: string }]>(
        async (ctx, name, options) => {
          const record =
            options.owner === undefined ? (await ctx.humle.createProject(name)).toJSON() : await ctx.administration('project create --owner').createProject(name, options.owner);
          await ctx.out.result({ ...record, createdAt: new Date(record.createdAt).toISOString() });
          await ctx.out.line(`created project ${record.name} (owner ${record.owner}, directory /Projects/${record.name})`);
        },
        (name, options) => {
          checkProjectName(name);
          if (options.owner !== undefined) checkUserName(options.owner);
        },
      ),
    );

  project
    .command('list')
    .description('list every project (on a server: the key user\'s), or with --member the projects of one user and its role there')
    .option('--member <user>', 'only the projects this user is a member of, with its role')
    .action(
      humleAction<[{ member?: string }]>(async (ctx, options) => {
        if (options.member !== undefined) {
          const views = await ctx.administration('project list --member').listProjects(checkUserName(options.member));
          await ctx.out.result(views.map((v) => ({ name: v.name, owner: v.owner, role: v.role, createdAt: new Date(v.createdAt).toISOString() })));
          if (!ctx.out.json) await ctx.out.write(formatTable(['NAME', 'OWNER', 'ROLE'], views.map((v) => [v.name, v.owner, v.role])));
          return;
        }
        const projects = await ctx.humle.listProjects();
        await ctx.out.result(projects.map((p) => ({ ...p.toJSON(), createdAt: p.createdAt.toISOString() })));
        if (!ctx.out.json) await ctx.out.write(formatTable(['NAME', 'OWNER', 'CREATED'], projects.map((p) => [p.name, p.owner, p.createdAt.toISOString()])));
      }),
    );

  project
    .command('members')
    .description("list a project's members and their roles")
    .argument('<name>')
    .action(
      humleAction<[string]>(
        async (ctx, name) => {
          const members = await (await ctx.humle.project(name)).members();
          await ctx.out.result(members.map((m) => ({ ...m, addedAt: m.addedAt.toISOString() })));
          if (!ctx.out.json) await ctx.out.write(formatTable(['USER', 'ROLE'], members.map((m) => [m.user, m.role])));
        },
        (name) => void checkProjectName(name),
      ),
    );

  project
    .command('add-member')
    .description('add a user (created if new; on a server an existing user) to a project as a data owner or data scientist')
    .argument('<name>')
    .argument('<user>')
    .addOption(ROLE_OPTION())
    .action(
      humleAction<[string, string, { role: string }]>(
        async (ctx, name, user, options) => {
          await (await ctx.humle.project(name)).addMember(user, checkAssignableRole(options.role));
          await ctx.out.result({ project: name, user, role: options.role });
          await ctx.out.line(`added ${user} to ${name} as ${options.role}`);
        },
        (name, user, options) => {
          checkProjectName(name);
          checkUserName(user);
          checkAssignableRole(options.role);
        },
      ),
    );

  registerProjectUsageCommands(project);
}
