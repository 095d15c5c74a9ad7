import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { callerOf } from '../rest/rest-api.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';

export const ProjectName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$', description: 'letters, digits and _, starting with a letter' });
const UserName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$' });
// The roles of platform/project-role.ts, spelled out so the schema keeps their literal types.
const AssignableRole = Type.Union([Type.Literal('data_owner'), Type.Literal('data_scientist')]);
const Role = Type.Union([Type.Literal('owner'), Type.Literal('data_owner'), Type.Literal('data_scientist')]);
const Error = Type.Ref('Error');

const Project = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    owner: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    role: Role,
  },
  { $id: 'Project', description: 'a project as one of its members sees it, with that member’s role' },
);

const Member = Type.Object({ user: Type.String(), role: Role, addedAt: Type.String({ format: 'date-time' }) }, { $id: 'ProjectMember' });

const ProjectParams = Type.Object({ project: ProjectName }, { additionalProperties: false });
const MemberParams = Type.Object({ project: ProjectName, user: UserName }, { additionalProperties: false });

function projectJson(view: { id: number; name: string; owner: string; createdAt: number; role: Static<typeof Role> }): Static<typeof Project> {
  return { id: view.id, name: view.name, owner: view.owner, createdAt: new Date(view.createdAt).toISOString(), role: view.role };
}

const tags = ['projects'];
const security = API_KEY_SECURITY;

/**
 * Projects and their members. A project the caller is not in answers 404 PROJECT_NOT_FOUND exactly as one that does
 * not exist; 403 ACCESS_DENIED only where the caller is a member (its role or key scope falls short).
 */
export const projectRoutes: RouteModule = {
  name: 'projects',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(Project);
    app.addSchema(Member);

    app.get(
      '/projects',
      { schema: { tags, security, summary: 'The projects the caller is a member of', response: { 200: Type.Object({ items: Type.Array(Type.Ref('Project')) }), 401: Error } } },
      async (request) => ({ items: (await ctx.access.listProjects(callerOf(request))).map(projectJson) }),
    );

    app.post(
      '/projects',
      {
        schema: {
          tags,
          security,
          summary: 'Create a project; the caller becomes its owner (needs the project:admin scope)',
          body: Type.Object({ name: ProjectName }, { additionalProperties: false }),
          response: { 201: Type.Ref('Project'), 400: Error, 401: Error, 403: Error, 409: Error },
        },
      },
      async (request, reply) => {
        const record = await ctx.access.createProject(callerOf(request), request.body.name);
        return reply.code(201).send(projectJson({ ...record, role: 'owner' }));
      },
    );

    app.get(
      '/projects/:project',
      { schema: { tags, security, summary: 'One project of the caller', params: ProjectParams, response: { 200: Type.Ref('Project'), 401: Error, 404: Error } } },
      async (request) => projectJson(await ctx.access.project(callerOf(request), request.params.project)),
    );

    app.get(
      '/projects/:project/members',
      {
        schema: { tags, security, summary: 'The members of a project and their roles', params: ProjectParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('ProjectMember')) }), 401: Error, 404: Error } },
      },
      async (request) => {
        const members = await ctx.access.listMembers(callerOf(request), request.params.project);
        return { items: members.map((m) => ({ user: m.user, role: m.role, addedAt: new Date(m.addedAt).toISOString() })) };
      },
    );

    app.post(
      '/projects/:project/members',
      {
        schema: {
          tags,
          security,
          summary: 'Add an existing user to the project (owner or data owner, project:admin scope)',
          params: ProjectParams,
          body: Type.Object({ user: UserName, role: AssignableRole }, { additionalProperties: false }),
          response: { 201: Type.Ref('ProjectMember'), 400: Error, 401: Error, 403: Error, 404: Error, 409: Error },
        },
      },
      async (request, reply) => {
        const { user, role } = request.body;
        await ctx.access.addMember(callerOf(request), request.params.project, user, role);
        return reply.code(201).send({ user, role, addedAt: new Date().toISOString() });
      },
    );

    app.put(
      '/projects/:project/members/:user',
      {
        schema: {
          tags,
          security,
          summary: "Change a member's role (not the owner's)",
          params: MemberParams,
          body: Type.Object({ role: AssignableRole }, { additionalProperties: false }),
          response: { 204: Type.Null(), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request, reply) => {
        await ctx.access.setMemberRole(callerOf(request), request.params.project, request.params.user, request.body.role);
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/projects/:project/members/:user',
      {
        schema: { tags, security, summary: 'Remove a member (not the owner)', params: MemberParams, response: { 204: Type.Null(), 400: Error, 401: Error, 403: Error, 404: Error } },
      },
      async (request, reply) => {
        await ctx.access.removeMember(callerOf(request), request.params.project, request.params.user);
        return reply.code(204).send(null);
      },
    );
  },
};
