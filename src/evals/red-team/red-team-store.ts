/**
 * @module evals/red-team/red-team-store
 * Red-team runs and their per-probe results (migration 0012). A result is written once per probe
 * (a resumed run skips the probes it already has), with the run's progress in the same
 * transaction.
 */
import type { RedTeamRunJson, RedTeamTarget } from '../../api/red-team.js';
import { KeelError } from '../../core/errors.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import type { Probe } from './probe.js';
import type { ProbeResult, RedTeamReport } from './red-team-report.js';

/** Drill-down filters (absent or undefined: any). */
export interface ResultFilter {
  category?: string | undefined;
  language?: string | undefined;
  outcome?: string | undefined;
  success?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export type PolicyChoice = {
  mode: 'project' | 'named' | 'inline' | 'none' | 'deployment';
  name: string | null;
};

export interface RunRow {
  id: string;
  project_id: string;
  job_id: string | null;
  status: RedTeamRunJson['status'];
  target: RedTeamTarget;
  policy: PolicyChoice;
  policy_body: Record<string, unknown> | null;
  probe_set: string;
  probe_count: number;
  probes: Probe[];
  report: RedTeamReport | null;
  error: { code: string; message: string } | null;
  created_by: string | null;
  created_at: Date;
  finished_at: Date | null;
  done?: number;
}

const SUMMARY_COLUMNS = `r.id, r.project_id, r.job_id, r.status, r.target, r.policy, r.probe_set, r.probe_count,
  r.report, r.error, r.created_by, r.created_at, r.finished_at,
  (SELECT count(*)::int FROM red_team_results x WHERE x.run_id = r.id) AS done`;

export class RedTeamStore {
  constructor(private readonly db: DatabaseV1) {}

  async insert(
    tx: DatabaseSession,
    row: Omit<RunRow, 'report' | 'error' | 'created_at' | 'finished_at' | 'status' | 'done'>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO red_team_runs (id, project_id, job_id, status, target, policy, policy_body, probe_set,
         probe_count, probes, created_by)
       VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10)`,
      [
        row.id,
        row.project_id,
        row.job_id,
        JSON.stringify(row.target),
        JSON.stringify(row.policy),
        row.policy_body === null ? null : JSON.stringify(row.policy_body),
        row.probe_set,
        row.probe_count,
        JSON.stringify(row.probes),
        row.created_by,
      ],
    );
  }

  async setJob(tx: DatabaseSession, id: string, jobId: string): Promise<void> {
    await tx.query('UPDATE red_team_runs SET job_id = $2 WHERE id = $1', [id, jobId]);
  }

  /** The whole run, probes included (the job reads it). */
  async load(id: string): Promise<RunRow> {
    const { rows } = await this.db.query<RunRow>('SELECT * FROM red_team_runs WHERE id = $1', [id]);
    if (!rows[0]) throw new KeelError('not_found', `Red-team run "${id}" not found.`);
    return rows[0];
  }

  /** A run of the project without its probes, with the number of probes done. */
  async get(projectId: string, id: string): Promise<RunRow> {
    const { rows } = await this.db.query<RunRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM red_team_runs r WHERE r.project_id = $1 AND r.id = $2`,
      [projectId, id],
    );
    if (!rows[0]) throw new KeelError('not_found', `Red-team run "${id}" not found.`);
    return rows[0];
  }

  async list(projectId: string, limit: number): Promise<RunRow[]> {
    const { rows } = await this.db.query<RunRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM red_team_runs r WHERE r.project_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [projectId, limit],
    );
    return rows;
  }

  async doneProbes(runId: string): Promise<Set<string>> {
    const { rows } = await this.db.query<{ probe_id: string }>(
      'SELECT probe_id FROM red_team_results WHERE run_id = $1',
      [runId],
    );
    return new Set(rows.map((row) => row.probe_id));
  }

  async saveResult(tx: DatabaseSession, runId: string, position: number, result: ProbeResult): Promise<void> {
    await tx.query(
      `INSERT INTO red_team_results (run_id, probe_id, position, category, language, outcome, success, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id, probe_id) DO NOTHING`,
      [
        runId,
        result.probe_id,
        position,
        result.category,
        result.language,
        result.outcome,
        result.success,
        JSON.stringify(result),
      ],
    );
  }

  async results(runId: string, filter: ResultFilter = {}): Promise<ProbeResult[]> {
    const where = ['run_id = $1'];
    const params: unknown[] = [runId];
    const add = (column: string, value: unknown) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add('category', filter.category);
    add('language', filter.language);
    add('outcome', filter.outcome);
    add('success', filter.success);
    params.push(filter.limit ?? 100_000, filter.offset ?? 0);
    const { rows } = await this.db.query<{ result: ProbeResult }>(
      `SELECT result FROM red_team_results WHERE ${where.join(' AND ')} ORDER BY position
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map((row) => row.result);
  }

  async setStatus(id: string, status: RunRow['status']): Promise<void> {
    await this.db.query(
      `UPDATE red_team_runs SET status = $2 WHERE id = $1 AND status NOT IN ('succeeded', 'failed', 'cancelled')`,
      [id, status],
    );
  }

  async finish(
    id: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    fields: { report?: RedTeamReport; error?: { code: string; message: string } | null },
    tx: DatabaseSession = this.db,
  ): Promise<void> {
    await tx.query(
      `UPDATE red_team_runs SET status = $2, report = COALESCE($3, report), error = $4, finished_at = now()
       WHERE id = $1`,
      [
        id,
        status,
        fields.report ? JSON.stringify(fields.report) : null,
        fields.error ? JSON.stringify(fields.error) : null,
      ],
    );
  }
}
