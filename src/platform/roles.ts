/**
 * @module platform/roles
 * Roles and what they may do. A key or a membership carries one role per project.
 */
export const roles = ['admin', 'editor', 'validator', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const permissions = ['read', 'invoke', 'write', 'validate', 'manage'] as const;
export type Permission = (typeof permissions)[number];

const granted: Record<Role, readonly Permission[]> = {
  // Projects, keys and members, plus everything below.
  admin: ['read', 'invoke', 'write', 'validate', 'manage'],
  // Builds assets: templates, collections, deployments; calls models.
  editor: ['read', 'invoke', 'write'],
  // Reviews and approves assets (separation of duties: cannot author them); runs evaluations.
  validator: ['read', 'invoke', 'validate'],
  // Sees assets and usage; cannot spend tokens or change anything.
  viewer: ['read'],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return granted[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return granted[role];
}

const rank: Record<Role, number> = { viewer: 0, validator: 1, editor: 2, admin: 3 };

/** True when `role` holds at least the permissions of `other` (used to stop privilege escalation). */
export function roleCovers(role: Role, other: Role): boolean {
  if (role === 'admin') return true;
  if (role === other) return true;
  return (
    granted[other].every((permission) => granted[role].includes(permission)) && rank[role] >= rank[other]
  );
}
