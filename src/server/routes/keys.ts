/**
 * @module server/routes/keys
 * `/api/v1/keys`: create (the secret is in this one response only), list, revoke. Keys belong to
 * the project they are created in; managing them takes the admin role there, and nobody can mint
 * a key with more rights than their own. Keys that administer the organisation (the bootstrap key,
 * recovered keys) are listed and revoked only by organisation administrators.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  apiKeySchema,
  createdKeySchema,
  createKeyRequestSchema,
  MAX_DURATION_MS,
} from '../../api/platform.js';
import { KeelError } from '../../core/errors.js';
import { roleCovers } from '../../platform/roles.js';
import type { KeelEnv, KeelServices } from '../context.js';
import { projectScope } from '../project-scope.js';
import { json } from '../respond.js';
import { keelErrors as errors } from './route-shapes.js';
import { apiKeyJson } from './serialize.js';

const projectHeader = z.object({ 'x-keel-project': z.string().optional() });

const createKeyRoute = createRoute({
  method: 'post',
  path: '/api/v1/keys',
  tags: ['Keys'],
  summary: 'Create an API key',
  request: {
    headers: projectHeader,
    body: { required: true, content: { 'application/json': { schema: createKeyRequestSchema } } },
  },
  responses: {
    201: {
      description: 'The key, with its secret (shown once)',
      content: { 'application/json': { schema: createdKeySchema } },
    },
    ...errors,
  },
});

const listKeysRoute = createRoute({
  method: 'get',
  path: '/api/v1/keys',
  tags: ['Keys'],
  summary: 'List API keys',
  request: {
    headers: projectHeader,
    query: z.object({ include_revoked: z.enum(['true', 'false']).optional() }),
  },
  responses: {
    200: {
      description: 'Keys of the project',
      content: { 'application/json': { schema: z.object({ keys: z.array(apiKeySchema) }) } },
    },
    ...errors,
  },
});

const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/api/v1/keys/{id}',
  tags: ['Keys'],
  summary: 'Revoke an API key',
  request: { headers: projectHeader, params: z.object({ id: z.string().min(1) }) },
  responses: {
    200: { description: 'The revoked key', content: { 'application/json': { schema: apiKeySchema } } },
    ...errors,
  },
});

export function registerKeys(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(createKeyRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'manage');
    if (!roleCovers(scope.role, body.role))
      throw new KeelError('forbidden', `A ${scope.role} cannot create a ${body.role} key.`);
    if (body.expires_at && body.expires_in) {
      throw new KeelError('invalid_request', 'Give expires_at or expires_in, not both.', {
        issues: [{ code: 'custom', path: ['expires_in'], message: 'conflicts with expires_at' }],
      });
    }
    const expiresAt = body.expires_at
      ? new Date(body.expires_at)
      : body.expires_in
        ? new Date(Date.now() + body.expires_in)
        : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new KeelError('invalid_request', 'The expiry is in the past.', {
        issues: [{ code: 'custom', path: ['expires_at'], message: 'must be in the future' }],
      });
    }
    if (expiresAt && expiresAt.getTime() > Date.now() + MAX_DURATION_MS) {
      throw new KeelError('invalid_request', 'The expiry is more than ten years away.', {
        issues: [{ code: 'too_big', path: ['expires_at'], message: 'must be at most ten years from now' }],
      });
    }
    const principal = c.get('principal');
    const { key, secret } = await services.keys.create({
      organizationId: principal.organizationId,
      projectId: scope.projectId,
      name: body.name,
      role: body.role,
      expiresAt,
      createdBy: principal.userId ?? principal.keyId,
    });
    return json({ ...apiKeyJson(key), key: secret }, 201);
  });

  app.openapi(listKeysRoute, async (c) => {
    const scope = projectScope(c, 'manage');
    const keys = await services.keys.list(scope.projectId, {
      includeRevoked: c.req.valid('query').include_revoked === 'true',
      byOrgAdmin: c.get('principal').orgAdmin,
    });
    return json({ keys: keys.map(apiKeyJson) });
  });

  app.openapi(revokeKeyRoute, async (c) => {
    const scope = projectScope(c, 'manage');
    const key = await services.keys.revoke(scope.projectId, c.req.valid('param').id, {
      byOrgAdmin: c.get('principal').orgAdmin,
    });
    return json(apiKeyJson(key));
  });
}
