/**
 * @module evals/runs/run-store
 * Runs, their per-item results and the output cache in the database. An item's result is written
 * once (`ON CONFLICT DO NOTHING` on (run, ordinal)), so a resumed run never records an item twice.
 */
import { KeelError } from '../../core/errors.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import type { RunAggregates, RunItemRow, RunRow, RunStatus, TargetOutput } from './run-types.js';

export interface NewRun {
  id: string;
  projectId: string;
  name: string | null;
  target: RunRow['target'];
  datasetId: string;
  datasetVersion: number;
  ordinals: number[];
  metrics: string[];
  thresholds: RunRow['thresholds'];
  options: RunRow['options'];
  createdBy: string | null;
  /** A recorded run: the feature's id for what produced it, and the cell it covers (unique per source). */
  source?: { id: string; cell?: string | undefined } | undefined;
}

export interface ItemResult {
  ordinal: number;
  status: 'succeeded' | 'failed';
  output: string | null;
  scores: Record<string, number>;
  error: { code: string; message: string } | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number | null;
  cached: boolean;
}

export class RunStore {
  constructor(private readonly db: DatabaseV1) {}

  /**
   * Inserts a run; false when a run already covers its source cell (nothing written: a resumed
   * experiment step that recorded its run before a crash).
   */
  async insert(run: NewRun, session: DatabaseSession = this.db): Promise<boolean> {
    const { rows } = await session.query(
      `INSERT INTO eval_runs (id, project_id, name, target, dataset_id, dataset_version, ordinals, metrics,
         thresholds, options, status, created_by, source_id, source_cell)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11, $12, $13)
       ON CONFLICT (project_id, source_id, source_cell) WHERE source_cell IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        run.id,
        run.projectId,
        run.name,
        JSON.stringify(run.target),
        run.datasetId,
        run.datasetVersion,
        JSON.stringify(run.ordinals),
        JSON.stringify(run.metrics),
        JSON.stringify(run.thresholds),
        JSON.stringify(run.options),
        run.createdBy,
        run.source?.id ?? null,
        run.source?.cell ?? null,
      ],
    );
    return rows.length > 0;
  }

  /** The run recorded for a source's cell, if any. */
  async bySourceCell(projectId: string, sourceId: string, cell: string): Promise<RunRow | undefined> {
    const { rows } = await this.db.query<RunRow>(
      'SELECT * FROM eval_runs WHERE project_id = $1 AND source_id = $2 AND source_cell = $3',
      [projectId, sourceId, cell],
    );
    return rows[0];
  }

  async setJob(id: string, jobId: string, session: DatabaseSession = this.db): Promise<void> {
    await session.query('UPDATE eval_runs SET job_id = $2 WHERE id = $1', [id, jobId]);
  }

  async get(projectId: string, id: string): Promise<RunRow> {
    const { rows } = await this.db.query<RunRow>(
      'SELECT * FROM eval_runs WHERE id = $1 AND project_id = $2',
      [id, projectId],
    );
    if (!rows[0]) throw new KeelError('not_found', `No evaluation run ${id} in this project.`);
    return rows[0];
  }

  async byId(id: string): Promise<RunRow | undefined> {
    return (await this.db.query<RunRow>('SELECT * FROM eval_runs WHERE id = $1', [id])).rows[0];
  }

  async list(
    projectId: string,
    options: { limit?: number; datasetId?: string | undefined; sourceId?: string | undefined } = {},
  ): Promise<RunRow[]> {
    const { rows } = await this.db.query<RunRow>(
      `SELECT * FROM eval_runs WHERE project_id = $1 AND ($2::text IS NULL OR dataset_id = $2)
         AND ($4::text IS NULL OR source_id = $4)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [projectId, options.datasetId ?? null, options.limit ?? 100, options.sourceId ?? null],
    );
    return rows;
  }

  async setStatus(
    id: string,
    status: RunStatus,
    extra: {
      aggregates?: RunAggregates;
      passed?: boolean | null;
      error?: { code: string; message: string };
    } = {},
    session: DatabaseSession = this.db,
  ): Promise<void> {
    const terminal = status === 'succeeded' || status === 'failed' || status === 'cancelled';
    await session.query(
      `UPDATE eval_runs SET status = $2, aggregates = COALESCE($3, aggregates), passed = $4,
         error = COALESCE($5, error), finished_at = CASE WHEN $6 THEN now() ELSE NULL END
       WHERE id = $1`,
      [
        id,
        status,
        extra.aggregates ? JSON.stringify(extra.aggregates) : null,
        extra.passed ?? null,
        extra.error ? JSON.stringify(extra.error) : null,
        terminal,
      ],
    );
  }

  /** Ordinals with a recorded result. */
  async doneOrdinals(runId: string): Promise<Set<number>> {
    const { rows } = await this.db.query<{ ordinal: number }>(
      'SELECT ordinal FROM eval_run_items WHERE run_id = $1',
      [runId],
    );
    return new Set(rows.map((row) => row.ordinal));
  }

  /** Records an item's result once; false when it was recorded already. */
  async recordItem(session: DatabaseSession, runId: string, item: ItemResult): Promise<boolean> {
    const { affectedRows } = await session.query(
      `INSERT INTO eval_run_items (run_id, ordinal, status, output, scores, error, latency_ms, input_tokens,
         output_tokens, cost, cached)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (run_id, ordinal) DO NOTHING`,
      [
        runId,
        item.ordinal,
        item.status,
        item.output,
        JSON.stringify(item.scores),
        item.error ? JSON.stringify(item.error) : null,
        item.latencyMs,
        item.inputTokens,
        item.outputTokens,
        item.cost,
        item.cached,
      ],
    );
    return affectedRows > 0;
  }

  /** Merges corpus-metric scores into the items' per-item scores. */
  async mergeScores(
    session: DatabaseSession,
    runId: string,
    scores: { ordinal: number; scores: Record<string, number> }[],
  ) {
    if (scores.length === 0) return;
    await session.query(
      `UPDATE eval_run_items i SET scores = i.scores || s.scores
       FROM jsonb_to_recordset($2::jsonb) AS s(ordinal integer, scores jsonb)
       WHERE i.run_id = $1 AND i.ordinal = s.ordinal`,
      [runId, JSON.stringify(scores)],
    );
  }

  async items(
    runId: string,
    options: { limit?: number; offset?: number; status?: 'succeeded' | 'failed' | undefined } = {},
  ): Promise<{ items: RunItemRow[]; total: number }> {
    const [page, count] = await Promise.all([
      this.db.query<RunItemRow>(
        `SELECT * FROM eval_run_items WHERE run_id = $1 AND ($2::text IS NULL OR status = $2)
         ORDER BY ordinal LIMIT $3 OFFSET $4`,
        [runId, options.status ?? null, options.limit ?? 1_000_000, options.offset ?? 0],
      ),
      this.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM eval_run_items WHERE run_id = $1 AND ($2::text IS NULL OR status = $2)',
        [runId, options.status ?? null],
      ),
    ]);
    return { items: page.rows, total: count.rows[0]?.n ?? 0 };
  }

  async cached(projectId: string, key: string): Promise<TargetOutput | undefined> {
    const { rows } = await this.db.query<{ output: TargetOutput }>(
      'SELECT output FROM eval_output_cache WHERE project_id = $1 AND key = $2',
      [projectId, key],
    );
    return rows[0]?.output;
  }

  async cache(session: DatabaseSession, projectId: string, key: string, output: TargetOutput): Promise<void> {
    await session.query(
      `INSERT INTO eval_output_cache (project_id, key, output) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, key) DO NOTHING`,
      [projectId, key, JSON.stringify(output)],
    );
  }
}
