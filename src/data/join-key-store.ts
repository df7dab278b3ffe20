/**
 * @module data/join-key-store
 * The join keys of a project's tables (`data_join_keys`): candidates proposed by discovery
 * (join-keys.ts) with their score and evidence, and a person's decision on each (accepted or
 * rejected, with who and when, audited). A discovery run refreshes the evidence of the pairs it
 * finds and keeps every decision; a pair only proposed that it no longer finds is dropped.
 */
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { JoinKeyCandidate, JoinKeyEvidence } from './join-keys.js';

export type JoinKeyStatus = 'proposed' | 'accepted' | 'rejected';

export interface JoinKeyRow {
  id: string;
  from_table: string;
  from_column: string;
  to_table: string;
  to_column: string;
  score: number;
  evidence: JoinKeyEvidence;
  status: JoinKeyStatus;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, from_table, from_column, to_table, to_column, score, evidence, status, decided_by, decided_at, created_at, updated_at';

export class JoinKeyStore {
  constructor(private readonly options: { db: DatabaseV1; audit: AuditRecorder }) {}

  /** The project's join keys, best first; with `tables`, only those between tables that still exist. */
  async list(projectId: string, tables?: ReadonlySet<string>): Promise<JoinKeyRow[]> {
    const { rows } = await this.options.db.query<JoinKeyRow>(
      `SELECT ${columns} FROM data_join_keys WHERE project_id = $1
        ORDER BY score DESC, from_table, from_column, to_table, to_column`,
      [projectId],
    );
    if (!tables) return rows;
    return rows.filter(
      (row) => tables.has(row.from_table.toLowerCase()) && tables.has(row.to_table.toLowerCase()),
    );
  }

  /** Stores a discovery run's candidates (see the module note) and returns the project's join keys. */
  async saveDiscovered(
    projectId: string,
    candidates: readonly JoinKeyCandidate[],
    actor?: string,
  ): Promise<JoinKeyRow[]> {
    await this.options.db.transaction(async (tx) => {
      const keep: string[] = [];
      for (const candidate of candidates) {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO data_join_keys (id, project_id, from_table, from_column, to_table, to_column, score, evidence)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (project_id, from_table, from_column, to_table, to_column)
           DO UPDATE SET score = EXCLUDED.score, evidence = EXCLUDED.evidence, updated_at = now()
           RETURNING id`,
          [
            newId('djoin'),
            projectId,
            candidate.fromTable,
            candidate.fromColumn,
            candidate.toTable,
            candidate.toColumn,
            candidate.score,
            JSON.stringify(candidate.evidence),
          ],
        );
        keep.push(rows[0]!.id);
      }
      await tx.query(
        `DELETE FROM data_join_keys WHERE project_id = $1 AND status = 'proposed' AND NOT (id = ANY($2::text[]))`,
        [projectId, keep],
      );
    });
    this.options.audit.record({
      action: 'data.joins.discover',
      projectId,
      target: { type: 'data_join_keys' },
      detail: { proposed: candidates.length, actor: actor ?? null },
    });
    return this.list(projectId);
  }

  /** Records a person's decision on one join key (audited with the previous status). */
  async decide(projectId: string, id: string, status: JoinKeyStatus, actor?: string): Promise<JoinKeyRow> {
    const before = (await this.list(projectId)).find((row) => row.id === id);
    if (!before) {
      throw new KeelError('not_found', `No join key ${id} in this project.`, {
        issues: [{ code: 'unknown_join_key', path: ['id'], message: 'no such join key' }],
      });
    }
    const decided = status !== 'proposed';
    await this.options.db.query(
      `UPDATE data_join_keys SET status = $3, decided_by = $4, decided_at = ${decided ? 'now()' : 'NULL'},
              updated_at = now() WHERE project_id = $1 AND id = $2`,
      [projectId, id, status, decided ? (actor ?? null) : null],
    );
    this.options.audit.record({
      action: 'data.joins.decide',
      projectId,
      target: { type: 'data_join_key', id },
      before: { status: before.status },
      after: {
        status,
        join: `${before.from_table}.${before.from_column} -> ${before.to_table}.${before.to_column}`,
      },
    });
    return (await this.list(projectId)).find((row) => row.id === id)!;
  }
}
