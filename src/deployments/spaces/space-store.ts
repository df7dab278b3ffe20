/**
 * @module deployments/spaces/space-store
 * Deployment spaces: named places in a project (development, staging, production …) that hold
 * deployments. A space's `stage` decides whether the deployment gate applies: a production space
 * serves only assets the gate lets through. Every change is audited.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseV1 } from '../../spec/database.js';

export const spaceStages = ['development', 'staging', 'production', 'other'] as const;
export type SpaceStage = (typeof spaceStages)[number];

export interface Space {
  id: string;
  projectId: string;
  name: string;
  description: string;
  stage: SpaceStage;
  tags: string[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface SpaceRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  stage: SpaceStage;
  tags: string[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

function spaceOf(row: SpaceRow): Space {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    stage: row.stage,
    tags: row.tags ?? [],
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface SpaceInput {
  name: string;
  description?: string | undefined;
  stage?: SpaceStage | undefined;
  tags?: string[] | undefined;
}

/** Fields to change; absent ones stay. */
export type SpaceChanges = { [K in keyof SpaceInput]?: SpaceInput[K] | undefined };

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505' || /unique|duplicate/i.test(String(error));
}

export class SpaceStore {
  constructor(
    private readonly db: DatabaseV1,
    private readonly audit: AuditRecorder,
  ) {}

  async create(projectId: string, actor: string | null, input: SpaceInput): Promise<Space> {
    const id = newId('spc');
    try {
      await this.db.query(
        `INSERT INTO deployment_spaces (id, project_id, name, description, stage, tags, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          id,
          projectId,
          input.name,
          input.description ?? '',
          input.stage ?? 'development',
          JSON.stringify(input.tags ?? []),
          actor,
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new KeelError('conflict', `A space named "${input.name}" already exists in this project.`, {
          issues: [{ code: 'duplicate_name', path: ['name'], message: 'space names are unique per project' }],
        });
      }
      throw error;
    }
    this.audit.record({
      action: 'space.create',
      projectId,
      target: { type: 'space', id },
      after: { name: input.name, stage: input.stage ?? 'development' },
    });
    return this.get(projectId, id);
  }

  async list(projectId: string): Promise<Space[]> {
    const { rows } = await this.db.query<SpaceRow>(
      'SELECT * FROM deployment_spaces WHERE project_id = $1 ORDER BY created_at, id',
      [projectId],
    );
    return rows.map(spaceOf);
  }

  /** A space by id or name in the project; another project's space is not found. */
  async get(projectId: string, idOrName: string): Promise<Space> {
    const { rows } = await this.db.query<SpaceRow>(
      'SELECT * FROM deployment_spaces WHERE project_id = $1 AND (id = $2 OR name = $2) ORDER BY id = $2 DESC LIMIT 1',
      [projectId, idOrName],
    );
    if (!rows[0]) throw spaceNotFound(idOrName);
    return spaceOf(rows[0]);
  }

  /** The project a space id belongs to (watsonx callers name a space, not a project), or null. */
  async projectOf(spaceId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ project_id: string }>(
      'SELECT project_id FROM deployment_spaces WHERE id = $1',
      [spaceId],
    );
    return rows[0]?.project_id ?? null;
  }

  async update(projectId: string, idOrName: string, changes: SpaceChanges): Promise<Space> {
    const before = await this.get(projectId, idOrName);
    const after = {
      name: changes.name ?? before.name,
      description: changes.description ?? before.description,
      stage: changes.stage ?? before.stage,
      tags: changes.tags ?? before.tags,
    };
    try {
      await this.db.query(
        `UPDATE deployment_spaces SET name = $3, description = $4, stage = $5, tags = $6, updated_at = now()
         WHERE project_id = $1 AND id = $2`,
        [projectId, before.id, after.name, after.description, after.stage, JSON.stringify(after.tags)],
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new KeelError('conflict', `A space named "${after.name}" already exists in this project.`, {
          issues: [{ code: 'duplicate_name', path: ['name'], message: 'space names are unique per project' }],
        });
      }
      throw error;
    }
    this.audit.record({
      action: 'space.update',
      projectId,
      target: { type: 'space', id: before.id },
      before: { name: before.name, stage: before.stage, description: before.description },
      after: { name: after.name, stage: after.stage, description: after.description },
    });
    return this.get(projectId, before.id);
  }

  /** Deletes an empty space; one that still holds live deployments is a 409. */
  async delete(projectId: string, idOrName: string): Promise<void> {
    const space = await this.get(projectId, idOrName);
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM deployments WHERE space_id = $1 AND deleted_at IS NULL',
      [space.id],
    );
    if ((rows[0]?.n ?? 0) > 0) {
      throw new KeelError('conflict', `Space "${space.name}" still holds ${rows[0]!.n} deployment(s).`, {
        issues: [{ code: 'space_not_empty', path: ['space_id'], message: 'delete its deployments first' }],
      });
    }
    await this.db.transaction(async (tx) => {
      // Tombstones of deleted deployments go with the space.
      await tx.query('DELETE FROM deployments WHERE space_id = $1', [space.id]);
      await tx.query('DELETE FROM deployment_spaces WHERE id = $1', [space.id]);
    });
    this.audit.record({ action: 'space.delete', projectId, target: { type: 'space', id: space.id } });
  }
}

export function spaceNotFound(idOrName: string): KeelError {
  return new KeelError('not_found', `Space "${idOrName}" not found.`, {
    issues: [
      { code: 'unknown_space', path: ['space_id'], message: `no space "${idOrName}" in this project` },
    ],
  });
}
