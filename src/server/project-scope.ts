/**
 * @module server/project-scope
 * Which project a request acts in, and whether the caller may. A request names its project with
 * `project_id`/`space_id` (watsonx), the `X-Keel-Project` header or a path parameter; otherwise
 * the key's own project is used. A project outside the caller's reach answers 404.
 */
import type { Context } from 'hono';
import { authorize } from '../platform/principal.js';
import type { Permission, Role } from '../platform/roles.js';
import type { KeelEnv } from './context.js';

export interface ProjectScope {
  projectId: string;
  role: Role;
  keyId: string;
}

export function projectScope(
  c: Context<KeelEnv>,
  permission: Permission,
  requested?: string | undefined,
): ProjectScope {
  const principal = c.get('principal');
  const projectId = requested ?? c.req.header('x-keel-project') ?? principal.defaultProjectId;
  const role = authorize(principal, projectId, permission);
  return { projectId, role, keyId: principal.keyId };
}
