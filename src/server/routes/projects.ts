/**
 * @module server/routes/projects
 * `/api/v1/projects` and their members, `/api/v1/users`. Creating projects and users is for
 * organisation administrators; changing a project's members takes its admin role.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createProjectRequestSchema,
  createUserRequestSchema,
  memberSchema,
  projectSchema,
  roleSchema,
  updateProjectRequestSchema,
} from '../../api/platform.js';
import { KeelError } from '../../core/errors.js';
import { roleIn } from '../../platform/principal.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { projectScope } from '../project-scope.js';
import { json } from '../respond.js';
import { keelError, keelErrors } from './route-shapes.js';
import { projectJson } from './serialize.js';

const errors = { ...keelErrors, 409: keelError('Conflict') };
const idParam = z.object({ id: z.string().min(1) });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/projects',
    tags: ['Projects'],
    summary: 'List projects you can access',
    responses: {
      200: {
        description: 'Projects',
        content: { 'application/json': { schema: z.object({ projects: z.array(projectSchema) }) } },
      },
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/projects',
    tags: ['Projects'],
    summary: 'Create a project (organisation administrators)',
    request: {
      body: { required: true, content: { 'application/json': { schema: createProjectRequestSchema } } },
    },
    responses: {
      201: { description: 'The project', content: { 'application/json': { schema: projectSchema } } },
      ...errors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/projects/{id}',
    tags: ['Projects'],
    summary: 'Get a project',
    request: { params: idParam },
    responses: {
      200: { description: 'The project', content: { 'application/json': { schema: projectSchema } } },
      ...errors,
    },
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/projects/{id}',
    tags: ['Projects'],
    summary: 'Rename or describe a project',
    request: {
      params: idParam,
      body: { required: true, content: { 'application/json': { schema: updateProjectRequestSchema } } },
    },
    responses: {
      200: { description: 'The project', content: { 'application/json': { schema: projectSchema } } },
      ...errors,
    },
  }),
  members: createRoute({
    method: 'get',
    path: '/api/v1/projects/{id}/members',
    tags: ['Projects'],
    summary: 'List members',
    request: { params: idParam },
    responses: {
      200: {
        description: 'Members',
        content: { 'application/json': { schema: z.object({ members: z.array(memberSchema) }) } },
      },
      ...errors,
    },
  }),
  setMember: createRoute({
    method: 'put',
    path: '/api/v1/projects/{id}/members/{userId}',
    tags: ['Projects'],
    summary: 'Add a member or change their role',
    request: {
      params: idParam.extend({ userId: z.string().min(1) }),
      body: {
        required: true,
        content: { 'application/json': { schema: z.strictObject({ role: roleSchema }) } },
      },
    },
    responses: {
      200: { description: 'The member', content: { 'application/json': { schema: memberSchema } } },
      ...errors,
    },
  }),
  removeMember: createRoute({
    method: 'delete',
    path: '/api/v1/projects/{id}/members/{userId}',
    tags: ['Projects'],
    summary: 'Remove a member',
    request: { params: idParam.extend({ userId: z.string().min(1) }) },
    responses: { 204: { description: 'Removed' }, ...errors },
  }),
  createUser: createRoute({
    method: 'post',
    path: '/api/v1/users',
    tags: ['Projects'],
    summary: 'Create a user account and add it to the current project (organisation administrators)',
    request: {
      body: { required: true, content: { 'application/json': { schema: createUserRequestSchema } } },
    },
    responses: {
      201: { description: 'The member', content: { 'application/json': { schema: memberSchema } } },
      ...errors,
    },
  }),
};

function requireOrgAdmin(isOrgAdmin: boolean, what: string): void {
  if (!isOrgAdmin) throw new KeelError('forbidden', `Only organisation administrators can ${what}.`);
}

export function registerProjects(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(routes.list, async (c) => {
    const principal = c.get('principal');
    const projects = await services.projects.listFor(principal);
    return json({ projects: projects.map((project) => projectJson(project, roleIn(principal, project.id))) });
  });

  app.openapi(routes.create, async (c) => {
    const principal = c.get('principal');
    requireOrgAdmin(principal.orgAdmin, 'create projects');
    const body = c.req.valid('json');
    const project = await services.projects.create({
      organizationId: principal.organizationId,
      name: body.name,
      ...(body.description ? { description: body.description } : {}),
    });
    if (principal.userId) await services.users.setMembership(principal.userId, project.id, 'admin');
    services.keys.invalidate();
    return json(projectJson(project, 'admin'), 201);
  });

  app.openapi(routes.get, async (c) => {
    const scope = projectScope(c, 'read', c.req.valid('param').id);
    return json(projectJson(await services.projects.get(scope.projectId), scope.role));
  });

  app.openapi(routes.update, async (c) => {
    const scope = projectScope(c, 'manage', c.req.valid('param').id);
    const body = c.req.valid('json');
    return json(projectJson(await services.projects.update(scope.projectId, body), scope.role));
  });

  app.openapi(routes.members, async (c) => {
    const scope = projectScope(c, 'read', c.req.valid('param').id);
    const members = await services.users.listMembers(scope.projectId);
    return json({
      members: members.map((member) => ({
        user_id: member.id,
        email: member.email,
        display_name: member.displayName,
        role: member.role,
      })),
    });
  });

  app.openapi(routes.setMember, async (c) => {
    const params = c.req.valid('param');
    const scope = projectScope(c, 'manage', params.id);
    const user = await services.users.get(params.userId);
    if (user.organizationId !== c.get('principal').organizationId)
      throw new KeelError('not_found', `User ${params.userId} not found.`);
    const { role } = c.req.valid('json');
    await services.users.setMembership(user.id, scope.projectId, role);
    return json({ user_id: user.id, email: user.email, display_name: user.displayName, role });
  });

  app.openapi(routes.removeMember, async (c) => {
    const params = c.req.valid('param');
    const scope = projectScope(c, 'manage', params.id);
    await services.users.removeMembership(params.userId, scope.projectId);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(routes.createUser, async (c) => {
    const principal = c.get('principal');
    requireOrgAdmin(principal.orgAdmin, 'create users');
    const scope = projectScope(c, 'manage');
    const body = c.req.valid('json');
    const user = await services.users.create({
      organizationId: principal.organizationId,
      email: body.email,
      password: body.password,
      ...(body.display_name ? { displayName: body.display_name } : {}),
    });
    await services.users.setMembership(user.id, scope.projectId, body.role);
    return json(
      { user_id: user.id, email: user.email, display_name: user.displayName, role: body.role },
      201,
    );
  });
}
