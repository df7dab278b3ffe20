/**
 * @module governance/inventory/inventory-store
 * The inventory: AI use cases, their versioned approaches and the assets tracked under them.
 * Every change is audited and written to the asset's history (who created or changed an asset is
 * what separation of duties reads).
 */
import type { z } from 'zod';
import type {
  createApproachSchema,
  createUseCaseSchema,
  listAssetsQuerySchema,
  listUseCasesQuerySchema,
  trackAssetSchema,
  updateUseCaseSchema,
} from '../../api/governance.js';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import { isUniqueViolation } from '../../storage/core/database-error.js';
import { type ApproachRow, ASSET_COLUMNS, type AssetRow, type GovCaller, type UseCaseRow } from './rows.js';

export type CreateUseCase = z.output<typeof createUseCaseSchema>;
export type UpdateUseCase = z.output<typeof updateUseCaseSchema>;
export type CreateApproach = z.output<typeof createApproachSchema>;
export type TrackAsset = z.output<typeof trackAssetSchema>;
export type ListUseCases = z.output<typeof listUseCasesQuerySchema>;
export type ListAssets = z.output<typeof listAssetsQuerySchema>;

const USE_CASE_COLUMNS =
  'id, project_id, name, purpose, business_owner, status, tags, created_by, created_at, updated_at';

export function notFound(what: string, id: string): KeelError {
  return new KeelError('not_found', `No ${what} "${id}" in this project.`, {
    issues: [{ code: `unknown_${what.replace(/ /g, '_')}`, path: [], message: `no ${what} ${id}` }],
  });
}

export class InventoryStore {
  constructor(
    readonly db: DatabaseV1,
    readonly audit: AuditRecorder,
  ) {}

  async createUseCase(caller: GovCaller, input: CreateUseCase): Promise<UseCaseRow> {
    const id = newId('guc');
    try {
      await this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO gov_use_cases (id, project_id, name, purpose, business_owner, tags, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            id,
            caller.projectId,
            input.name,
            input.purpose,
            input.business_owner ?? null,
            JSON.stringify(input.tags),
            caller.actor,
          ],
        );
        await this.#insertApproach(
          tx,
          caller,
          id,
          1,
          input.approach ?? { name: 'v1', description: '', thresholds: {} },
        );
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KeelError('conflict', `A use case named "${input.name}" already exists in this project.`, {
          issues: [{ code: 'duplicate_use_case', path: ['name'], message: 'names are unique per project' }],
        });
      throw error;
    }
    this.audit.record({
      action: 'governance.use_case.create',
      projectId: caller.projectId,
      target: { type: 'use_case', id },
      after: input,
      detail: { name: input.name },
    });
    return this.findUseCase(caller.projectId, id);
  }

  async findUseCase(projectId: string, id: string, session: DatabaseSession = this.db): Promise<UseCaseRow> {
    const { rows } = await session.query<UseCaseRow>(
      `SELECT ${USE_CASE_COLUMNS} FROM gov_use_cases WHERE project_id = $1 AND (id = $2 OR name = $2)`,
      [projectId, id],
    );
    if (!rows[0]) throw notFound('use case', id);
    return rows[0];
  }

  async listUseCases(projectId: string, query: ListUseCases): Promise<UseCaseRow[]> {
    const params: unknown[] = [projectId];
    let where = 'project_id = $1';
    if (query.status) {
      params.push(query.status);
      where += ` AND status = $${params.length}`;
    }
    if (query.tag) {
      params.push(JSON.stringify([query.tag]));
      where += ` AND tags @> $${params.length}::jsonb`;
    }
    if (query.q) {
      params.push(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where += ` AND (name ILIKE $${params.length} OR purpose ILIKE $${params.length})`;
    }
    const { rows } = await this.db.query<UseCaseRow>(
      `SELECT ${USE_CASE_COLUMNS} FROM gov_use_cases WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 1000`,
      params,
    );
    return rows;
  }

  async updateUseCase(caller: GovCaller, id: string, input: UpdateUseCase): Promise<UseCaseRow> {
    const before = await this.findUseCase(caller.projectId, id);
    await this.db.query(
      `UPDATE gov_use_cases SET purpose = coalesce($3, purpose),
         business_owner = CASE WHEN $4::boolean THEN $5 ELSE business_owner END,
         tags = coalesce($6::jsonb, tags),
         status = CASE WHEN status = 'blocked' THEN status ELSE coalesce($7, status) END,
         updated_at = now()
       WHERE project_id = $1 AND id = $2`,
      [
        caller.projectId,
        before.id,
        input.purpose ?? null,
        input.business_owner !== undefined,
        input.business_owner ?? null,
        input.tags ? JSON.stringify(input.tags) : null,
        input.status ?? null,
      ],
    );
    const after = await this.findUseCase(caller.projectId, before.id);
    this.audit.record({
      action: 'governance.use_case.update',
      projectId: caller.projectId,
      target: { type: 'use_case', id: before.id },
      before,
      after,
      detail: { name: before.name, status: after.status },
    });
    return after;
  }

  /** Marks a use case blocked (a prohibited assessment); called by the risk side. */
  async blockUseCase(projectId: string, id: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE gov_use_cases SET status = 'blocked', updated_at = now() WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    this.audit.record({
      action: 'governance.use_case.block',
      projectId,
      target: { type: 'use_case', id },
      detail: { reason },
    });
  }

  async approaches(useCaseIds: string[]): Promise<Map<string, ApproachRow[]>> {
    const out = new Map<string, ApproachRow[]>();
    if (!useCaseIds.length) return out;
    const { rows } = await this.db.query<ApproachRow>(
      'SELECT * FROM gov_approaches WHERE use_case_id = ANY($1) ORDER BY version',
      [useCaseIds],
    );
    for (const row of rows) {
      const list = out.get(row.use_case_id) ?? [];
      list.push(row);
      out.set(row.use_case_id, list);
    }
    return out;
  }

  async addApproach(caller: GovCaller, useCaseId: string, input: CreateApproach): Promise<ApproachRow> {
    const useCase = await this.findUseCase(caller.projectId, useCaseId);
    const approach = await this.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM gov_use_cases WHERE id = $1 FOR UPDATE', [useCase.id]);
      const { rows } = await tx.query<{ next: number }>(
        'SELECT coalesce(max(version), 0) + 1 AS next FROM gov_approaches WHERE use_case_id = $1',
        [useCase.id],
      );
      return this.#insertApproach(tx, caller, useCase.id, Number(rows[0]!.next), input);
    });
    this.audit.record({
      action: 'governance.approach.create',
      projectId: caller.projectId,
      target: { type: 'approach', id: approach.id },
      after: input,
      detail: { useCaseId: useCase.id, version: approach.version },
    });
    return approach;
  }

  async #insertApproach(
    tx: DatabaseSession,
    caller: GovCaller,
    useCaseId: string,
    version: number,
    input: CreateApproach,
  ): Promise<ApproachRow> {
    const { rows } = await tx.query<ApproachRow>(
      `INSERT INTO gov_approaches (id, project_id, use_case_id, version, name, description, thresholds, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        newId('gap'),
        caller.projectId,
        useCaseId,
        version,
        input.name,
        input.description,
        JSON.stringify(input.thresholds),
        caller.actor,
      ],
    );
    return rows[0]!;
  }

  async trackAsset(
    caller: GovCaller,
    input: TrackAsset,
    source: { type: string; id: string } | null,
  ): Promise<AssetRow> {
    const useCase = await this.findUseCase(caller.projectId, input.use_case_id);
    const { rows: approaches } = await this.db.query<ApproachRow>(
      `SELECT * FROM gov_approaches WHERE use_case_id = $1 ${input.approach_version ? 'AND version = $2' : ''}
       ORDER BY version DESC LIMIT 1`,
      input.approach_version ? [useCase.id, input.approach_version] : [useCase.id],
    );
    const approach = approaches[0];
    if (!approach) throw notFound('approach', String(input.approach_version));
    const id = newId('gas');
    const metadata: Record<string, unknown> = { ...(input.metadata ?? {}) };
    if (input.external) metadata.external = input.external;
    try {
      await this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO gov_assets (id, project_id, use_case_id, approach_id, kind, ref, ref_version, source_type, source_id, name, metadata, results, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            id,
            caller.projectId,
            useCase.id,
            approach.id,
            input.kind,
            input.ref,
            input.version ?? null,
            source?.type ?? null,
            source?.id ?? null,
            input.name ?? input.ref,
            JSON.stringify(metadata),
            input.results ? JSON.stringify(input.results) : null,
            caller.actor,
          ],
        );
        await this.history(tx, id, caller.projectId, 'create', null, 'idea', caller.actor, caller.role, {
          kind: input.kind,
          ref: input.ref,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KeelError('conflict', `${input.kind} "${input.ref}" is already tracked in this project.`, {
          issues: [
            { code: 'already_tracked', path: ['ref'], message: 'an asset is tracked once per project' },
          ],
        });
      throw error;
    }
    this.audit.record({
      action: 'governance.asset.create',
      projectId: caller.projectId,
      target: { type: 'gov_asset', id },
      after: input,
      detail: { kind: input.kind, ref: input.ref, useCaseId: useCase.id },
    });
    return this.asset(caller.projectId, id);
  }

  async asset(
    projectId: string,
    id: string,
    session: DatabaseSession = this.db,
    lock = false,
  ): Promise<AssetRow> {
    const { rows } = await session.query<AssetRow>(
      `SELECT ${ASSET_COLUMNS} FROM gov_assets a JOIN gov_approaches p ON p.id = a.approach_id
       WHERE a.project_id = $1 AND a.id = $2${lock ? ' FOR UPDATE OF a' : ''}`,
      [projectId, id],
    );
    if (!rows[0]) throw notFound('asset', id);
    return rows[0];
  }

  async listAssets(projectId: string, query: ListAssets): Promise<AssetRow[]> {
    const params: unknown[] = [projectId];
    let where = 'a.project_id = $1';
    if (query.use_case_id) {
      params.push(query.use_case_id);
      where += ` AND a.use_case_id = $${params.length}`;
    }
    if (query.kind) {
      params.push(query.kind);
      where += ` AND a.kind = $${params.length}`;
    }
    if (query.stage) {
      params.push(query.stage);
      where += ` AND a.stage = $${params.length}`;
    }
    const { rows } = await this.db.query<AssetRow>(
      `SELECT ${ASSET_COLUMNS} FROM gov_assets a JOIN gov_approaches p ON p.id = a.approach_id
       WHERE ${where} ORDER BY a.created_at, a.id LIMIT 2000`,
      params,
    );
    return rows;
  }

  async history(
    session: DatabaseSession,
    assetId: string,
    projectId: string,
    event: string,
    from: string | null,
    to: string | null,
    actor: string | null,
    role: string | null,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    await session.query(
      `INSERT INTO gov_asset_history (id, asset_id, project_id, event, from_stage, to_stage, actor, actor_role, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [newId('gah'), assetId, projectId, event, from, to, actor, role, JSON.stringify(detail)],
    );
  }

  async historyOf(projectId: string, assetId: string) {
    const { rows } = await this.db.query<{
      event: string;
      from_stage: string | null;
      to_stage: string | null;
      actor: string | null;
      actor_role: string | null;
      detail: Record<string, unknown>;
      at: Date;
    }>(
      `SELECT event, from_stage, to_stage, actor, actor_role, detail, at FROM gov_asset_history
       WHERE project_id = $1 AND asset_id = $2 ORDER BY at, id`,
      [projectId, assetId],
    );
    return rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
  }

  /**
   * Who made the asset in its own module, from the audit chain: every actor of a create or change
   * record on its source (a template's versions, a collection's configurations …), including those
   * made before governance tracked it. A guardrail policy is tracked by name, and its records
   * name it in their detail (their target is the policy's row id).
   */
  async sourceAuthors(
    projectId: string,
    sourceType: string | null,
    sourceId: string | null,
  ): Promise<Set<string>> {
    if (!sourceType || !sourceId) return new Set();
    const { rows } = await this.db.query<{ actor: string }>(
      `SELECT DISTINCT coalesce(actor_user_id, actor_key_id) AS actor FROM audit_log
       WHERE project_id = $1 AND target_type = $2
         AND (target_id = $3 OR (target_type = 'policy' AND (detail::jsonb)->>'name' = $3))
         AND (action LIKE '%.create' OR action LIKE '%.update' OR action LIKE '%.import')
         AND coalesce(actor_user_id, actor_key_id) IS NOT NULL`,
      [projectId, sourceType, sourceId],
    );
    return new Set(rows.map((row) => row.actor));
  }

  /** Everyone who created or changed the asset (separation of duties). */
  async authorsOf(assetId: string, session: DatabaseSession = this.db): Promise<Set<string>> {
    const { rows } = await session.query<{ actor: string }>(
      `SELECT DISTINCT actor FROM gov_asset_history WHERE asset_id = $1 AND event IN ('create', 'change') AND actor IS NOT NULL`,
      [assetId],
    );
    return new Set(rows.map((row) => row.actor));
  }
}
