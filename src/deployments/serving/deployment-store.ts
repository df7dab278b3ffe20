/**
 * @module deployments/serving/deployment-store
 * Deployments and their versions in the database. A version pins what is served — a prompt
 * template version or a RAG collection configuration version — with the model, parameters and
 * guardrail policy; versions are only ever added. The deployment row says which version serves
 * (or a weighted split of two). Deleting leaves a tombstone, so that requests by id answer 410.
 * Every change is audited.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import type { TrafficSplit } from '../rollout/traffic-split.js';

export interface DeploymentAsset {
  type: 'prompt_template' | 'rag_collection';
  /** The template's or collection's id. */
  id: string;
  /** Its name when deployed (for people; the id is what is served). */
  name: string;
  /** The template version, or the collection's configuration version. */
  version: number;
}

export interface DeploymentVersion {
  version: number;
  asset: DeploymentAsset;
  /** provider:model; null: the template's own model (or the collection's answer model). */
  model: string | null;
  /** Generation parameters over the template's (Prompt Lab's names). */
  parameters: Record<string, unknown>;
  /** Guardrail policy name over the template's; null: the template's, else the project's default. */
  guardrailPolicy: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface Deployment {
  id: string;
  projectId: string;
  spaceId: string;
  name: string;
  servingName: string | null;
  description: string;
  tags: string[];
  currentVersion: number;
  split: TrafficSplit | null;
  versions: DeploymentVersion[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface VersionInput {
  asset: DeploymentAsset;
  model?: string | null | undefined;
  parameters?: Record<string, unknown> | undefined;
  guardrailPolicy?: string | null | undefined;
}

export interface DeploymentInput {
  spaceId: string;
  name: string;
  servingName?: string | null | undefined;
  description?: string | undefined;
  tags?: string[] | undefined;
  version: VersionInput;
}

interface DeploymentRow {
  id: string;
  project_id: string;
  space_id: string;
  name: string;
  serving_name: string | null;
  description: string;
  tags: string[];
  current_version: number;
  split: TrafficSplit | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

interface VersionRow {
  deployment_id: string;
  version: number;
  asset: DeploymentAsset;
  model: string | null;
  parameters: Record<string, unknown>;
  guardrail_policy: string | null;
  created_by: string | null;
  created_at: Date;
}

function versionOf(row: VersionRow): DeploymentVersion {
  return {
    version: row.version,
    asset: row.asset,
    model: row.model,
    parameters: row.parameters ?? {},
    guardrailPolicy: row.guardrail_policy,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function servingNameTaken(name: string): KeelError {
  return new KeelError('conflict', `A deployment serving as "${name}" already exists in this project.`, {
    issues: [
      {
        code: 'duplicate_serving_name',
        path: ['serving_name'],
        message: 'serving names are unique per project',
      },
    ],
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505' || /unique|duplicate/i.test(String(error));
}

export class DeploymentStore {
  constructor(
    private readonly db: DatabaseV1,
    private readonly audit: AuditRecorder,
  ) {}

  /** Every deployment of the project (tombstones included) with its versions. */
  async loadProject(projectId: string): Promise<Deployment[]> {
    const [deployments, versions] = await Promise.all([
      this.db.query<DeploymentRow>(
        'SELECT * FROM deployments WHERE project_id = $1 ORDER BY created_at, id',
        [projectId],
      ),
      this.db.query<VersionRow>(
        `SELECT v.* FROM deployment_versions v JOIN deployments d ON d.id = v.deployment_id
         WHERE d.project_id = $1 ORDER BY v.deployment_id, v.version`,
        [projectId],
      ),
    ]);
    const byDeployment = new Map<string, DeploymentVersion[]>();
    for (const row of versions.rows) {
      const list = byDeployment.get(row.deployment_id) ?? [];
      list.push(versionOf(row));
      byDeployment.set(row.deployment_id, list);
    }
    return deployments.rows.map((row) => ({
      id: row.id,
      projectId: row.project_id,
      spaceId: row.space_id,
      name: row.name,
      servingName: row.serving_name,
      description: row.description,
      tags: row.tags ?? [],
      currentVersion: row.current_version,
      split: row.split,
      versions: byDeployment.get(row.id) ?? [],
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      deletedAt: row.deleted_at,
    }));
  }

  async projectOf(id: string): Promise<string | null> {
    const { rows } = await this.db.query<{ project_id: string }>(
      'SELECT project_id FROM deployments WHERE id = $1',
      [id],
    );
    return rows[0]?.project_id ?? null;
  }

  async create(projectId: string, actor: string | null, input: DeploymentInput): Promise<string> {
    const id = newId('dep');
    try {
      await this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO deployments (id, project_id, space_id, name, serving_name, description, tags, current_version, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)`,
          [
            id,
            projectId,
            input.spaceId,
            input.name,
            input.servingName ?? null,
            input.description ?? '',
            JSON.stringify(input.tags ?? []),
            actor,
          ],
        );
        await insertVersion(tx, id, 1, actor, input.version);
      });
    } catch (error) {
      if (isUniqueViolation(error) && input.servingName) throw servingNameTaken(input.servingName);
      throw error;
    }
    this.audit.record({
      action: 'deployment.create',
      projectId,
      target: { type: 'deployment', id },
      after: { name: input.name, space: input.spaceId, version: input.version },
      detail: {
        version: 1,
        asset: `${input.version.asset.type}:${input.version.asset.id}@${input.version.asset.version}`,
      },
    });
    return id;
  }

  /** Adds a version and makes it the one that serves (a split is cleared). */
  async addVersion(
    projectId: string,
    actor: string | null,
    id: string,
    input: VersionInput,
  ): Promise<number> {
    const version = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ next: number }>(
        'SELECT COALESCE(max(version), 0) + 1 AS next FROM deployment_versions WHERE deployment_id = $1',
        [id],
      );
      const next = Number(rows[0]!.next);
      await insertVersion(tx, id, next, actor, input);
      await tx.query(
        'UPDATE deployments SET current_version = $2, split = NULL, updated_at = now() WHERE id = $1',
        [id, next],
      );
      return next;
    });
    this.audit.record({
      action: 'deployment.version.create',
      projectId,
      target: { type: 'deployment', id },
      after: input,
      detail: { version, asset: `${input.asset.type}:${input.asset.id}@${input.asset.version}` },
    });
    return version;
  }

  /** Which version serves: one (`split` null) or a weighted split. */
  async setServing(
    projectId: string,
    id: string,
    serving: { currentVersion: number; split: TrafficSplit | null },
    action: 'deployment.rollback' | 'deployment.split',
  ): Promise<void> {
    await this.db.query(
      'UPDATE deployments SET current_version = $2, split = $3, updated_at = now() WHERE id = $1 AND deleted_at IS NULL',
      [id, serving.currentVersion, serving.split ? JSON.stringify(serving.split) : null],
    );
    this.audit.record({
      action,
      projectId,
      target: { type: 'deployment', id },
      after: serving,
      detail: { version: serving.currentVersion, split: serving.split !== null },
    });
  }

  async update(
    projectId: string,
    before: Deployment,
    changes: {
      name?: string | undefined;
      servingName?: string | null | undefined;
      description?: string | undefined;
      tags?: string[] | undefined;
    },
  ): Promise<void> {
    const after = {
      name: changes.name ?? before.name,
      servingName: changes.servingName === undefined ? before.servingName : changes.servingName,
      description: changes.description ?? before.description,
      tags: changes.tags ?? before.tags,
    };
    try {
      await this.db.query(
        `UPDATE deployments SET name = $2, serving_name = $3, description = $4, tags = $5, updated_at = now()
         WHERE id = $1 AND deleted_at IS NULL`,
        [before.id, after.name, after.servingName, after.description, JSON.stringify(after.tags)],
      );
    } catch (error) {
      if (isUniqueViolation(error) && after.servingName) throw servingNameTaken(after.servingName);
      throw error;
    }
    this.audit.record({
      action: 'deployment.update',
      projectId,
      target: { type: 'deployment', id: before.id },
      before: {
        name: before.name,
        servingName: before.servingName,
        description: before.description,
        tags: before.tags,
      },
      after,
    });
  }

  /** Leaves a tombstone: requests by id answer 410, the serving name is free again. */
  async delete(projectId: string, id: string): Promise<void> {
    await this.db.query(
      'UPDATE deployments SET deleted_at = now(), serving_name = NULL, updated_at = now() WHERE id = $1 AND deleted_at IS NULL',
      [id],
    );
    this.audit.record({ action: 'deployment.delete', projectId, target: { type: 'deployment', id } });
  }
}

async function insertVersion(
  tx: DatabaseSession,
  id: string,
  version: number,
  actor: string | null,
  input: VersionInput,
): Promise<void> {
  await tx.query(
    `INSERT INTO deployment_versions (deployment_id, version, asset, model, parameters, guardrail_policy, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      version,
      JSON.stringify(input.asset),
      input.model ?? null,
      JSON.stringify(input.parameters ?? {}),
      input.guardrailPolicy ?? null,
      actor,
    ],
  );
}
