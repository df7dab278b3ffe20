/**
 * @module governance/risk/questionnaire-store
 * Which questionnaire a project answers: Keel's built-in file (revision 0), or the latest one the
 * project uploaded (revisions 1, 2 …, insert-only). An upload is validated with the questionnaire
 * schema (a bad file is a 400 naming every problem), stored whole with its digest, and audited.
 */
import { type Questionnaire, questionnaireSchema } from '../../api/governance-risk.js';
import type { AuditRecorder } from '../../audit/index.js';
import { digestOf } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import type { DatabaseV1 } from '../../spec/database.js';
import builtinData from './questionnaires/default.json' with { type: 'json' };

export interface StoredQuestionnaire {
  questionnaire: Questionnaire;
  revision: number;
  source: 'builtin' | 'project';
  digest: string;
  createdBy: string | null;
  createdAt: Date | null;
}

export function questionnaireDigest(questionnaire: Questionnaire): string {
  return digestOf(questionnaire) as string;
}

/** Validates a questionnaire file (already parsed from YAML or JSON); issues are paths into the file. */
export function parseQuestionnaire(input: unknown): Questionnaire {
  const parsed = questionnaireSchema.safeParse(input);
  if (!parsed.success)
    throw new KeelError('invalid_request', 'The questionnaire is invalid.', {
      issues: parsed.error.issues.map((issue) => ({
        code: issue.code,
        path: [
          'questionnaire',
          ...issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
        ],
        message: issue.message,
      })),
    });
  return parsed.data;
}

let builtin: StoredQuestionnaire | undefined;

/** Keel's own questionnaire (EU AI Act and Korea AI Basic Act), parsed once. */
export function builtinQuestionnaire(): StoredQuestionnaire {
  if (!builtin) {
    const questionnaire = parseQuestionnaire(builtinData);
    builtin = {
      questionnaire,
      revision: 0,
      source: 'builtin',
      digest: questionnaireDigest(questionnaire),
      createdBy: null,
      createdAt: null,
    };
  }
  return builtin;
}

interface QuestionnaireRow {
  revision: number;
  questionnaire: unknown;
  digest: string;
  created_by: string | null;
  created_at: Date;
}

export class QuestionnaireStore {
  constructor(
    readonly db: DatabaseV1,
    readonly audit: AuditRecorder,
  ) {}

  /** The questionnaire in force for the project. */
  async current(projectId: string): Promise<StoredQuestionnaire> {
    const { rows } = await this.db.query<QuestionnaireRow>(
      `SELECT revision, questionnaire, digest, created_by, created_at FROM gov_risk_questionnaires
        WHERE project_id = $1 ORDER BY revision DESC LIMIT 1`,
      [projectId],
    );
    return rows[0] ? this.#stored(rows[0]) : builtinQuestionnaire();
  }

  /** A given revision (0: the built-in file), for reading an old assessment with the questions it answered. */
  async revision(projectId: string, revision: number): Promise<StoredQuestionnaire | null> {
    if (revision === 0) return builtinQuestionnaire();
    const { rows } = await this.db.query<QuestionnaireRow>(
      `SELECT revision, questionnaire, digest, created_by, created_at FROM gov_risk_questionnaires
        WHERE project_id = $1 AND revision = $2`,
      [projectId, revision],
    );
    return rows[0] ? this.#stored(rows[0]) : null;
  }

  /** Stores a new revision for the project; it is in force from now on. */
  async replace(caller: { projectId: string; actor: string }, input: unknown): Promise<StoredQuestionnaire> {
    const questionnaire = parseQuestionnaire(input);
    const before = await this.current(caller.projectId);
    const digest = questionnaireDigest(questionnaire);
    let row: QuestionnaireRow | undefined;
    try {
      row = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<QuestionnaireRow>(
          `INSERT INTO gov_risk_questionnaires (project_id, revision, questionnaire, digest, created_by)
           SELECT $1, coalesce(max(revision), 0) + 1, $2, $3, $4 FROM gov_risk_questionnaires WHERE project_id = $1
           RETURNING revision, questionnaire, digest, created_by, created_at`,
          [caller.projectId, JSON.stringify(questionnaire), digest, caller.actor],
        );
        return rows[0];
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505' || /duplicate|unique/i.test((error as Error).message))
        throw new KeelError('conflict', 'Another questionnaire was uploaded at the same time; try again.');
      throw error;
    }
    if (!row) throw new KeelError('internal', 'The questionnaire was not stored.');
    this.audit.record({
      action: 'governance.risk_questionnaire.replace',
      projectId: caller.projectId,
      target: { type: 'risk_questionnaire', id: `${caller.projectId}:${row.revision}` },
      before: { digest: before.digest, revision: before.revision },
      after: questionnaire,
      detail: {
        revision: row.revision,
        questionnaire: questionnaire.id,
        version: questionnaire.version,
        digest,
        previousRevision: before.revision,
      },
    });
    return this.#stored(row);
  }

  #stored(row: QuestionnaireRow): StoredQuestionnaire {
    const questionnaire = questionnaireSchema.parse(
      typeof row.questionnaire === 'string' ? JSON.parse(row.questionnaire) : row.questionnaire,
    );
    return {
      questionnaire,
      revision: row.revision,
      source: 'project',
      digest: row.digest,
      createdBy: row.created_by,
      createdAt: row.created_at,
    };
  }
}
