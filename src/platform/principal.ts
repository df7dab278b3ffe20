import { KeelError } from '../core/errors.js';
import { type Permission, type Role, roleAllows } from './roles.js';

/** Who is calling: resolved once per request from the bearer token. */
export interface Principal {
  keyId: string;
  kind: 'api' | 'session';
  organizationId: string;
  /** The project the key is scoped to; the default for requests that name none. */
  defaultProjectId: string;
  /** Role per project this principal may act in. */
  projectRoles: ReadonlyMap<string, Role>;
  userId: string | null;
  /** True for an organisation administrator's session: every project, as admin. */
  orgAdmin: boolean;
}

/**
 * The role a principal holds in a project, or throws `not_found` — a project outside the
 * principal's reach is indistinguishable from one that does not exist.
 */
export function roleIn(principal: Principal, projectId: string): Role {
  const role = principal.projectRoles.get(projectId);
  if (role) return role;
  if (principal.orgAdmin) return 'admin';
  throw new KeelError('not_found', `Project ${projectId} not found.`);
}

/** Asserts the principal may do `permission` in `projectId`; returns the role. */
export function authorize(principal: Principal, projectId: string, permission: Permission): Role {
  const role = roleIn(principal, projectId);
  if (!roleAllows(role, permission)) {
    throw new KeelError(
      'forbidden',
      `The ${role} role cannot ${permissionVerb[permission]} in this project.`,
      {
        data: { role, permission },
      },
    );
  }
  return role;
}

const permissionVerb: Record<Permission, string> = {
  read: 'read',
  invoke: 'call models',
  write: 'create or change assets',
  validate: 'validate or approve assets',
  manage: 'manage keys, members or projects',
};
