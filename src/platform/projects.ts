/**
 * @module platform/projects
 * Organisations and their projects. Every asset in Keel belongs to one project.
 */
import { type AuditRecorder, noAudit } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { DatabaseSession } from '../spec/database.js';
import { isUniqueViolation } from '../storage/core/database-error.js';
import type { Principal } from './principal.js';

export interface Project {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  createdAt: Date;
}

interface ProjectRow {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  created_at: Date;
}

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
  };
}

export class ProjectService {
  constructor(
    private readonly db: DatabaseSession,
    private readonly audit: AuditRecorder = noAudit,
  ) {}

  async createOrganization(name: string): Promise<{ id: string; name: string }> {
    const id = newId('org');
    await this.db.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', [id, name]);
    this.audit.record({
      action: 'organization.create',
      target: { type: 'organization', id },
      after: { id, name },
    });
    return { id, name };
  }

  async create(input: { organizationId: string; name: string; description?: string }): Promise<Project> {
    try {
      const result = await this.db.query<ProjectRow>(
        'INSERT INTO projects (id, organization_id, name, description) VALUES ($1, $2, $3, $4) RETURNING *',
        [newId('prj'), input.organizationId, input.name, input.description ?? ''],
      );
      const project = toProject(result.rows[0]!);
      this.audit.record({
        action: 'project.create',
        projectId: project.id,
        target: { type: 'project', id: project.id },
        after: project,
      });
      return project;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KeelError('conflict', `A project named "${input.name}" already exists.`);
      throw error;
    }
  }

  /** Projects the principal can see. */
  async listFor(principal: Principal): Promise<Project[]> {
    const result = principal.orgAdmin
      ? await this.db.query<ProjectRow>(
          'SELECT * FROM projects WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY created_at, id',
          [principal.organizationId],
        )
      : await this.db.query<ProjectRow>(
          'SELECT * FROM projects WHERE id = ANY($1::text[]) AND deleted_at IS NULL ORDER BY created_at, id',
          [[...principal.projectRoles.keys()]],
        );
    return result.rows.map(toProject);
  }

  async get(projectId: string): Promise<Project> {
    const result = await this.db.query<ProjectRow>(
      'SELECT * FROM projects WHERE id = $1 AND deleted_at IS NULL',
      [projectId],
    );
    const row = result.rows[0];
    if (!row) throw new KeelError('not_found', `Project ${projectId} not found.`);
    return toProject(row);
  }

  async findByName(organizationId: string, name: string): Promise<Project | null> {
    const result = await this.db.query<ProjectRow>(
      'SELECT * FROM projects WHERE organization_id = $1 AND name = $2 AND deleted_at IS NULL',
      [organizationId, name],
    );
    return result.rows[0] ? toProject(result.rows[0]) : null;
  }

  async update(
    projectId: string,
    patch: { name?: string | undefined; description?: string | undefined },
  ): Promise<Project> {
    const before = await this.get(projectId);
    try {
      const result = await this.db.query<ProjectRow>(
        `UPDATE projects SET name = COALESCE($2, name), description = COALESCE($3, description)
          WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
        [projectId, patch.name ?? null, patch.description ?? null],
      );
      if (!result.rows[0]) throw new KeelError('not_found', `Project ${projectId} not found.`);
      const project = toProject(result.rows[0]);
      this.audit.record({
        action: 'project.update',
        projectId,
        target: { type: 'project', id: projectId },
        before,
        after: project,
      });
      return project;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KeelError('conflict', `A project named "${patch.name}" already exists.`);
      throw error;
    }
  }
}
