/**
 * @module server/project-scope
 * Which project a request acts in, and whether the caller may. A request names its project with
 * `project_id`/`space_id` (watsonx), the `X-Keel-Project` header or a path parameter; otherwise
 * the key's own project is used. A project outside the caller's reach answers 404.
 */
import type { Context } from 'hono';
import { authorize, type Principal } from '../platform/principal.js';
import type { Permission, Role } from '../platform/roles.js';
import type { KeelEnv } from './context.js';
import { requestSignal } from './request-signal.js';

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
  return scopeOf(c.get('principal'), permission, requested ?? c.req.header('x-keel-project'));
}

/** The project `principal` acts in (the one `requested`, else the key's own) once authorised. */
export function scopeOf(
  principal: Principal,
  permission: Permission,
  requested: string | undefined,
): ProjectScope {
  const projectId = requested ?? principal.defaultProjectId;
  const role = authorize(principal, projectId, permission);
  return { projectId, role, keyId: principal.keyId };
}

/** Who acts, in which project, for a service call: the user (or, for API keys, the key), its role. */
export interface RequestCaller {
  projectId: string;
  keyId: string;
  actor: string;
  role: Role;
  /** Fires when the client goes away. */
  signal: AbortSignal;
}

/** Authorises the request for `permission` in its project and says who is acting. */
export function callerOf(c: Context<KeelEnv>, permission: Permission): RequestCaller {
  const scope = projectScope(c, permission);
  const principal = c.get('principal');
  return {
    projectId: scope.projectId,
    keyId: scope.keyId,
    actor: principal.userId ?? principal.keyId,
    role: scope.role,
    signal: requestSignal(c),
  };
}
