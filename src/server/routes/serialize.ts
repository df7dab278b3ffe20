/**
 * @module server/routes/serialize
 * Service records → API shapes (snake_case, ISO dates). Secrets never pass through here.
 */
import type { ApiKeyRecord } from '../../platform/api-keys.js';
import type { Project } from '../../platform/projects.js';
import type { Role } from '../../platform/roles.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function apiKeyJson(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    project_id: key.projectId,
    created_at: key.createdAt.toISOString(),
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
    last_used_at: iso(key.lastUsedAt),
  };
}

export function projectJson(project: Project, role: Role) {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    created_at: project.createdAt.toISOString(),
    role,
  };
}
