/**
 * @module extraction/job-resource-table
 * The table behind a watsonx job resource (text extractions, text classifications): one row per
 * request, in a project, pointing at its job. Reading one row, a page of rows newest first (with
 * watsonx's `start` offset and `total_count`) and removing one (the job cancelled, the row hidden,
 * the removal audited) are the same for every such resource. A table shared by several resources
 * (`tuning_exports`: trainings and fine-tunings) names the `origin` of its rows.
 */
import type { AuditLog } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { JobService } from '../jobs/index.js';
import type { DatabaseV1 } from '../spec/database.js';

export interface JobResourceRow {
  id: string;
  job_id: string;
}

export interface JobResourcePage<Row> {
  rows: Row[];
  limit: number;
  total_count: number;
  next?: { start: string };
}

export class JobResourceTable<Row extends JobResourceRow> {
  readonly #origin: string;

  /**
   * @param table `text_extractions`, `text_classifications` or `tuning_exports`
   * @param kind the audit target type and message noun, e.g. `text_extraction`
   * @param origin only rows of this origin (`tuning_exports`, whose rows are of several resources)
   */
  constructor(
    private readonly deps: { db: DatabaseV1; jobs: JobService; audit: AuditLog },
    private readonly table: 'text_extractions' | 'text_classifications' | 'tuning_exports',
    private readonly kind: 'text_extraction' | 'text_classification' | 'training' | 'fine_tuning',
    origin?: 'training' | 'fine_tuning',
  ) {
    // The origin is one of two literals, never the caller's text.
    this.#origin = origin ? ` AND origin = '${origin}'` : '';
  }

  async row(projectId: string, id: string): Promise<Row> {
    const { rows } = await this.deps.db.query<Row>(
      `SELECT * FROM ${this.table} WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL${this.#origin}`,
      [id, projectId],
    );
    if (!rows[0])
      throw new KeelError('not_found', `No ${this.kind.replace('_', ' ')} ${id} in this project.`, {
        data: { id },
      });
    return rows[0];
  }

  async page(
    projectId: string,
    options: { start?: string | undefined; limit?: number | undefined },
  ): Promise<JobResourcePage<Row>> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 200);
    const offset = Math.max(Number.parseInt(options.start ?? '0', 10) || 0, 0);
    const { rows } = await this.deps.db.query<Row>(
      `SELECT * FROM ${this.table} WHERE project_id = $1 AND deleted_at IS NULL${this.#origin}
        ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [projectId, limit + 1, offset],
    );
    const { rows: counted } = await this.deps.db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${this.table} WHERE project_id = $1 AND deleted_at IS NULL${this.#origin}`,
      [projectId],
    );
    return {
      rows: rows.slice(0, limit),
      limit,
      total_count: Number(counted[0]?.n ?? 0),
      ...(rows.length > limit ? { next: { start: String(offset + limit) } } : {}),
    };
  }

  /** Cancels the job (if it still runs) and removes the row from the project's list. */
  async remove(projectId: string, id: string, options: { hardDelete?: boolean }): Promise<void> {
    const row = await this.row(projectId, id);
    await this.deps.jobs.cancel(row.job_id, { projectId }).catch(() => undefined);
    await this.deps.db.query(`UPDATE ${this.table} SET deleted_at = now() WHERE id = $1`, [id]);
    this.deps.audit.record({
      action: `${this.kind}.delete`,
      projectId,
      target: { type: this.kind, id },
      detail: { hardDelete: options.hardDelete ?? false },
    });
  }
}
