/**
 * @module server/routes/watsonx/watsonx-asset-store
 * The `watsonx_assets` rows (migration 0017): what watsonx prompt assets, prompt sessions and
 * session entries carry beside Keel's templates and sessions. A template made in Keel's own
 * dialect has no row until the watsonx dialect first writes to it. Every change is audited.
 */
import type { AuditRecorder } from '../../../audit/index.js';
import { KeelError } from '../../../core/errors.js';
import type { DatabaseV1 } from '../../../spec/database.js';

export type AssetKind = 'prompt' | 'session' | 'entry';

export interface AssetRow {
  id: string;
  kind: AssetKind;
  project_id: string;
  parent_id: string | null;
  data: Record<string, unknown>;
  locked_by: string | null;
  lock_type: string | null;
  locked_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export class WatsonxAssetStore {
  constructor(
    readonly db: DatabaseV1,
    readonly audit: AuditRecorder,
  ) {}

  async get(projectId: string, kind: AssetKind, id: string): Promise<AssetRow | undefined> {
    const result = await this.db.query<AssetRow>(
      'SELECT * FROM watsonx_assets WHERE id = $1 AND project_id = $2 AND kind = $3 AND deleted_at IS NULL',
      [id, projectId, kind],
    );
    return result.rows[0];
  }

  async require(projectId: string, kind: AssetKind, id: string, what: string): Promise<AssetRow> {
    const row = await this.get(projectId, kind, id);
    if (!row) throw new KeelError('not_found', `No ${what} ${id} in this project.`, { data: { id } });
    return row;
  }

  /** Inserts or replaces the row's data (merging the given fields over the stored ones). */
  async put(input: {
    id: string;
    kind: AssetKind;
    projectId: string;
    parentId?: string | undefined;
    data: Record<string, unknown>;
    actor: string | null;
  }): Promise<AssetRow> {
    const result = await this.db.query<AssetRow>(
      `INSERT INTO watsonx_assets (id, kind, project_id, parent_id, data, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (id) DO UPDATE SET data = watsonx_assets.data || EXCLUDED.data, updated_at = now()
       RETURNING *`,
      [
        input.id,
        input.kind,
        input.projectId,
        input.parentId ?? null,
        JSON.stringify(input.data),
        input.actor,
      ],
    );
    this.audit.record({
      action: `watsonx.${input.kind}.save`,
      projectId: input.projectId,
      target: { type: `watsonx_${input.kind}`, id: input.id },
      after: { fields: Object.keys(input.data) },
    });
    return result.rows[0]!;
  }

  /** Takes or releases a prompt's lock; 409 `locked` when someone else holds it and `force` is off. */
  async setLock(
    projectId: string,
    id: string,
    actor: string,
    lock: { locked: boolean; lockType?: string | undefined; force: boolean },
  ): Promise<AssetRow> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO watsonx_assets (id, kind, project_id, created_by) VALUES ($1, 'prompt', $2, $3)
         ON CONFLICT (id) DO NOTHING`,
        [id, projectId, actor],
      );
      const row = (
        await tx.query<AssetRow>(
          'SELECT * FROM watsonx_assets WHERE id = $1 AND project_id = $2 FOR UPDATE',
          [id, projectId],
        )
      ).rows[0]!;
      if (row.locked_by && row.locked_by !== actor && !lock.force) throw lockedBy(row, 'prompt');
      const updated = (
        await tx.query<AssetRow>(
          `UPDATE watsonx_assets SET locked_by = $2, lock_type = $3, locked_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END,
             updated_at = now() WHERE id = $1 RETURNING *`,
          [id, lock.locked ? actor : null, lock.locked ? (lock.lockType ?? 'edit') : null],
        )
      ).rows[0]!;
      this.audit.record({
        action: lock.locked ? 'watsonx.prompt.lock' : 'watsonx.prompt.unlock',
        projectId,
        target: { type: 'template', id },
        before: { lockedBy: row.locked_by },
        after: { lockedBy: updated.locked_by },
        detail: { force: lock.force },
      });
      return updated;
    });
  }

  /** Throws 409 `locked` when someone other than `actor` holds the asset's lock. */
  assertUnlocked(row: AssetRow | undefined, actor: string, what: string): void {
    if (row?.locked_by && row.locked_by !== actor) throw lockedBy(row, what);
  }

  async entries(projectId: string, sessionId: string, limit: number, offset: number): Promise<AssetRow[]> {
    const result = await this.db.query<AssetRow>(
      `SELECT * FROM watsonx_assets WHERE project_id = $1 AND parent_id = $2 AND kind = 'entry' AND deleted_at IS NULL
       ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [projectId, sessionId, limit, offset],
    );
    return result.rows;
  }

  async delete(projectId: string, kind: AssetKind, id: string): Promise<void> {
    await this.db.query(
      'UPDATE watsonx_assets SET deleted_at = now() WHERE id = $1 AND project_id = $2 AND kind = $3 AND deleted_at IS NULL',
      [id, projectId, kind],
    );
    this.audit.record({
      action: `watsonx.${kind}.delete`,
      projectId,
      target: { type: `watsonx_${kind}`, id },
    });
  }
}

export function lockedBy(row: Pick<AssetRow, 'id' | 'locked_by'>, what: string): KeelError {
  return new KeelError(
    'locked',
    `The ${what} ${row.id} is locked by ${row.locked_by}; only they can change it until they unlock it.`,
    { data: { id: row.id, lockedBy: row.locked_by } },
  );
}
