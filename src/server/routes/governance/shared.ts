/**
 * @module server/routes/governance/shared
 * What the governance routes share: error responses, body helpers and the caller.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { keelErrorSchema } from '../../../api/platform.js';
import type { GovCaller } from '../../../governance/index.js';
import type { Permission } from '../../../platform/roles.js';
import type { KeelEnv } from '../../context.js';
import { callerOf } from '../../project-scope.js';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: keelErrorSchema } },
});
export const errors = {
  400: error('Invalid request'),
  403: error('Not allowed'),
  404: error('Not found'),
  409: error('Refused: out of order, changed meanwhile, or evidence missing (issues name what)'),
} as const;
export const ok = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...errors,
});
export const created = <T extends z.ZodType>(schema: T, description: string) => ({
  201: { description, content: { 'application/json': { schema } } },
  ...errors,
});
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
export const idParam = z.object({ id: z.string().min(1).max(200) });
export const tags = ['Governance'];

/**
 * The caller in its project. Transitions and approvals check roles themselves (and audit each
 * refusal), so they only need `read` here; the role comes from the key or membership, never from
 * the request.
 */
export function govCaller(c: Context<KeelEnv>, permission: Permission): GovCaller {
  const caller = callerOf(c, permission);
  return { projectId: caller.projectId, actor: caller.actor, role: caller.role };
}
