/**
 * @module server/routes/auth
 * Sign-in with e-mail and password (a session token for the console), sign-out, and `me`.
 * Password guessing is throttled per account and per address (platform/sign-in-throttle): 429.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { keelErrorSchema, meSchema, signInRequestSchema, signInResponseSchema } from '../../api/platform.js';
import { roleIn } from '../../platform/principal.js';
import { permissionsOf } from '../../platform/roles.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { bearerToken } from '../middleware/authenticate.js';
import { json } from '../respond.js';
import { projectJson } from './serialize.js';

export const signInRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/sign-in',
  tags: ['Auth'],
  summary: 'Sign in with e-mail and password',
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: signInRequestSchema } } } },
  responses: {
    200: {
      description: 'A session token',
      content: { 'application/json': { schema: signInResponseSchema } },
    },
    401: {
      description: 'Wrong e-mail or password',
      content: { 'application/json': { schema: keelErrorSchema } },
    },
    429: {
      description:
        'Too many failed sign-ins for this account or from this address: locked for a while (see Retry-After)',
      content: { 'application/json': { schema: keelErrorSchema } },
    },
  },
});

const signOutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/sign-out',
  tags: ['Auth'],
  summary: 'End the session',
  responses: { 204: { description: 'Signed out' } },
});
const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/me',
  tags: ['Auth'],
  summary: 'Who am I',
  responses: { 200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } } },
});

/** Registered before authentication: signing in is how a caller gets a token. */
export function registerSignIn(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(signInRoute, async (c) => {
    const body = c.req.valid('json');
    const session = await services.users.signIn(body.email, body.password);
    return json({
      token: session.secret,
      expires_at: session.expiresAt.toISOString(),
      user: { id: session.user.id, email: session.user.email, display_name: session.user.displayName },
      project_id: session.projectId,
    });
  });
}

export function registerAuth(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(signOutRoute, async (c) => {
    const principal = c.get('principal');
    const token = bearerToken(c.req.header('authorization'));
    if (principal.kind === 'session' && token) await services.keys.revokeSecret(token);
    return new Response(null, { status: 204 }) as never;
  });

  app.openapi(meRoute, async (c) => {
    const principal = c.get('principal');
    const projects = await services.projects.listFor(principal);
    const user = principal.userId ? await services.users.get(principal.userId) : null;
    return json({
      key_id: principal.keyId,
      kind: principal.kind,
      user: user ? { id: user.id, email: user.email, display_name: user.displayName } : null,
      default_project_id: principal.defaultProjectId,
      projects: projects.map((project) => projectJson(project, roleIn(principal, project.id))),
      permissions: Object.fromEntries(
        projects.map((project) => [project.id, [...permissionsOf(roleIn(principal, project.id))]]),
      ),
    });
  });
}
