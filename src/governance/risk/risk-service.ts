/**
 * @module governance/risk/risk-service
 * Risk assessments of use cases: answers scored against the project's questionnaire, stored
 * insert-only with the next version for the use case (the newest is in force and supersedes the
 * one before), audited. Governance hears of each one: a prohibited result blocks the use case, and
 * a changed tier re-evaluates the approvals of its assets. `latest()` is what the lifecycle's
 * approval and deployment gates read. `preview()` scores answers so far without storing or auditing.
 */
import type {
  Answers,
  AssessmentJson,
  AssessmentPreview,
  RequiredControl,
  Scorecard,
} from '../../api/governance-risk.js';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { RiskReader, RiskSummary } from '../lifecycle/risk-reader.js';
import { builtinQuestionnaire, QuestionnaireStore, type StoredQuestionnaire } from './questionnaire-store.js';
import { requiredControls } from './required-controls.js';
import { scoreAnswers } from './risk-scoring.js';

export interface RiskCaller {
  projectId: string;
  actor: string;
}

export interface AssessmentRow {
  id: string;
  project_id: string;
  use_case_id: string;
  approach_id: string | null;
  version: number;
  supersedes: string | null;
  questionnaire_id: string;
  questionnaire_version: string;
  questionnaire_revision: number;
  questionnaire_digest: string;
  answers: Answers;
  tier: RiskSummary['tier'];
  eu_category: Scorecard['eu_category'];
  korea_high_impact: boolean;
  prohibited: boolean;
  scorecard: Scorecard;
  note: string | null;
  created_by: string | null;
  completed_at: Date;
}

export interface CreateAssessment {
  useCaseId: string;
  approachId?: string | undefined;
  answers: Answers;
  note?: string | undefined;
}

/** A completed assessment as the lifecycle hears of it (the new tier in force for the use case). */
export interface AssessedUseCase {
  projectId: string;
  useCaseId: string;
  assessmentId: string;
  version: number;
  tier: RiskSummary['tier'];
  prohibited: boolean;
  /** Why the use case is blocked (the prohibited practices cited); null when it is not prohibited. */
  blockReason: string | null;
}

export interface RiskServiceDeps {
  db: DatabaseV1;
  audit: AuditRecorder;
  /**
   * Told of every completed assessment, after it is stored: governance blocks a prohibited use case
   * and re-evaluates the standing approvals of its assets against the new tier.
   */
  assessed?: ((assessment: AssessedUseCase) => Promise<void>) | undefined;
}

const COLUMNS =
  'id, project_id, use_case_id, approach_id, version, supersedes, questionnaire_id, questionnaire_version, questionnaire_revision, questionnaire_digest, answers, tier, eu_category, korea_high_impact, prohibited, scorecard, note, created_by, completed_at';

function unknownUseCase(id: string): KeelError {
  return new KeelError('not_found', `No use case "${id}" in this project.`, {
    issues: [{ code: 'unknown_use_case', path: ['use_case_id'], message: `no use case ${id}` }],
  });
}

function parsed<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function normalise(row: AssessmentRow): AssessmentRow {
  return { ...row, answers: parsed(row.answers), scorecard: parsed(row.scorecard) };
}

/** The stored controls; for an assessment stored before controls, the built-in questionnaire's (revision 0 only). */
function controlsOf(row: AssessmentRow): RequiredControl[] {
  if (row.scorecard.required_controls) return row.scorecard.required_controls;
  if (row.questionnaire_revision !== 0) return [];
  return requiredControls(builtinQuestionnaire().questionnaire, row.scorecard);
}

export function assessmentJson(row: AssessmentRow): AssessmentJson {
  return {
    id: row.id,
    project_id: row.project_id,
    use_case_id: row.use_case_id,
    approach_id: row.approach_id,
    version: row.version,
    supersedes: row.supersedes,
    questionnaire: {
      id: row.questionnaire_id,
      version: row.questionnaire_version,
      revision: row.questionnaire_revision,
      digest: row.questionnaire_digest,
    },
    answers: row.answers,
    tier: row.tier,
    eu_category: row.eu_category,
    korea_high_impact: row.korea_high_impact,
    prohibited: row.prohibited,
    scorecard: row.scorecard,
    required_controls: controlsOf(row),
    note: row.note,
    created_by: row.created_by,
    completed_at: new Date(row.completed_at).toISOString(),
  };
}

export class RiskService implements RiskReader {
  readonly questionnaires: QuestionnaireStore;
  readonly #db: DatabaseV1;
  readonly #audit: AuditRecorder;
  readonly #assessed: RiskServiceDeps['assessed'];

  constructor(deps: RiskServiceDeps) {
    this.#db = deps.db;
    this.#audit = deps.audit;
    this.#assessed = deps.assessed;
    this.questionnaires = new QuestionnaireStore(deps.db, deps.audit);
  }

  /** The questionnaire in force for the project (the built-in one unless the project uploaded its own). */
  questionnaire(projectId: string): Promise<StoredQuestionnaire> {
    return this.questionnaires.current(projectId);
  }

  /** Replaces the project's questionnaire (validated, stored as the next revision, audited). */
  replaceQuestionnaire(caller: RiskCaller, input: unknown): Promise<StoredQuestionnaire> {
    return this.questionnaires.replace(caller, input);
  }

  /**
   * What the answers so far would give: tier, category, reasons and controls. Unanswered questions
   * are listed, not refused; a wrong answer is (as when saving). Nothing is stored or audited.
   */
  async preview(caller: RiskCaller, request: CreateAssessment): Promise<AssessmentPreview> {
    const useCaseId = await this.#checkScope(caller.projectId, request.useCaseId, request.approachId);
    const stored = await this.questionnaires.current(caller.projectId);
    const result = scoreAnswers(stored.questionnaire, request.answers, { partial: true });
    if (!result.ok)
      throw new KeelError('invalid_request', 'The answers do not fit the questionnaire.', {
        issues: result.issues,
        data: { questionnaire: stored.questionnaire.id, version: stored.questionnaire.version },
      });
    const unanswered = stored.questionnaire.sections
      .flatMap((section) => section.questions)
      .filter((question) => question.required)
      .filter((question) => {
        const answer = request.answers[question.id];
        return (
          answer === undefined || (typeof answer === 'string' ? answer.trim() === '' : answer.length === 0)
        );
      })
      .map((question) => question.id);
    const scorecard = result.value;
    return {
      dry_run: true,
      use_case_id: useCaseId,
      approach_id: request.approachId ?? null,
      questionnaire: {
        id: stored.questionnaire.id,
        version: stored.questionnaire.version,
        revision: stored.revision,
        digest: stored.digest,
      },
      unanswered,
      tier: scorecard.tier,
      eu_category: scorecard.eu_category,
      korea_high_impact: scorecard.korea_high_impact,
      prohibited: scorecard.prohibited,
      scorecard,
      required_controls: scorecard.required_controls ?? [],
    };
  }

  /** Scores the answers and stores a completed assessment: the use case's next version. */
  async assess(caller: RiskCaller, request: CreateAssessment): Promise<AssessmentRow> {
    const useCaseId = await this.#checkScope(caller.projectId, request.useCaseId, request.approachId);
    const input = { ...request, useCaseId };
    const stored = await this.questionnaires.current(caller.projectId);
    const result = scoreAnswers(stored.questionnaire, input.answers);
    if (!result.ok)
      throw new KeelError('invalid_request', 'The answers do not fit the questionnaire.', {
        issues: result.issues,
        data: { questionnaire: stored.questionnaire.id, version: stored.questionnaire.version },
      });
    const scorecard = result.value;
    const id = newId('gra');
    let row: AssessmentRow | undefined;
    try {
      row = await this.#db.transaction(async (tx) => {
        const previous = await tx.query<{ id: string; version: number }>(
          'SELECT id, version FROM gov_risk_assessments WHERE use_case_id = $1 ORDER BY version DESC LIMIT 1',
          [input.useCaseId],
        );
        const { rows } = await tx.query<AssessmentRow>(
          `INSERT INTO gov_risk_assessments (id, project_id, use_case_id, approach_id, version, supersedes,
             questionnaire_id, questionnaire_version, questionnaire_revision, questionnaire_digest, answers,
             tier, eu_category, korea_high_impact, prohibited, scorecard, note, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
           RETURNING ${COLUMNS}`,
          [
            id,
            caller.projectId,
            input.useCaseId,
            input.approachId ?? null,
            (previous.rows[0]?.version ?? 0) + 1,
            previous.rows[0]?.id ?? null,
            stored.questionnaire.id,
            stored.questionnaire.version,
            stored.revision,
            stored.digest,
            JSON.stringify(input.answers),
            scorecard.tier,
            scorecard.eu_category,
            scorecard.korea_high_impact,
            scorecard.prohibited,
            JSON.stringify(scorecard),
            input.note ?? null,
            caller.actor,
          ],
        );
        return rows[0];
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505' || /duplicate|unique/i.test((error as Error).message))
        throw new KeelError(
          'conflict',
          'Another assessment of this use case was completed at the same time.',
          {
            issues: [{ code: 'concurrent_assessment', path: ['use_case_id'], message: 'try again' }],
          },
        );
      throw error;
    }
    if (!row) throw new KeelError('internal', 'The assessment was not stored.');
    const assessment = normalise(row);
    this.#audit.record({
      action: 'governance.risk_assessment.complete',
      projectId: caller.projectId,
      target: { type: 'risk_assessment', id },
      after: assessmentJson(assessment),
      detail: {
        useCase: input.useCaseId,
        approach: input.approachId ?? null,
        version: assessment.version,
        supersedes: assessment.supersedes,
        tier: scorecard.tier,
        euCategory: scorecard.eu_category,
        koreaHighImpact: scorecard.korea_high_impact,
        prohibited: scorecard.prohibited,
        score: scorecard.score,
        questionnaire: `${stored.questionnaire.id}@${stored.questionnaire.version}#${stored.revision}`,
      },
    });
    let blockReason: string | null = null;
    if (scorecard.prohibited) {
      const citations = scorecard.entries
        .filter((entry) => entry.eu_category === 'prohibited')
        .flatMap((entry) => entry.references.map((reference) => reference.citation));
      blockReason = `risk assessment ${id}: prohibited practice (${[...new Set(citations)].join(', ')})`;
    }
    await this.#assessed?.({
      projectId: caller.projectId,
      useCaseId: input.useCaseId,
      assessmentId: id,
      version: assessment.version,
      tier: scorecard.tier,
      prohibited: scorecard.prohibited,
      blockReason,
    });
    return assessment;
  }

  /** One assessment of the project (another project's is not found). */
  async get(projectId: string, id: string): Promise<AssessmentRow> {
    const { rows } = await this.#db.query<AssessmentRow>(
      `SELECT ${COLUMNS} FROM gov_risk_assessments WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    if (!rows[0])
      throw new KeelError('not_found', `No risk assessment "${id}" in this project.`, {
        issues: [{ code: 'unknown_risk_assessment', path: ['id'], message: `no risk assessment ${id}` }],
      });
    return normalise(rows[0]);
  }

  /** The project's assessments, newest first, optionally of one use case. */
  async list(projectId: string, query: { useCaseId?: string | undefined; limit?: number | undefined } = {}) {
    const { rows } = await this.#db.query<AssessmentRow>(
      `SELECT ${COLUMNS} FROM gov_risk_assessments
        WHERE project_id = $1 AND ($2::text IS NULL OR use_case_id = $2)
        ORDER BY completed_at DESC, version DESC LIMIT $3`,
      [projectId, query.useCaseId ?? null, query.limit ?? 100],
    );
    return rows.map(normalise);
  }

  /** Every assessment of a use case, oldest first (factsheets show the history). */
  async history(projectId: string, useCaseId: string): Promise<AssessmentRow[]> {
    const { rows } = await this.#db.query<AssessmentRow>(
      `SELECT ${COLUMNS} FROM gov_risk_assessments WHERE project_id = $1 AND use_case_id = $2 ORDER BY version`,
      [projectId, useCaseId],
    );
    return rows.map(normalise);
  }

  /** The assessment in force (the highest version), for the approval and deployment gates. */
  async latest(projectId: string, useCaseId: string): Promise<RiskSummary | null> {
    const { rows } = await this.#db.query<AssessmentRow>(
      `SELECT ${COLUMNS} FROM gov_risk_assessments WHERE project_id = $1 AND use_case_id = $2
        ORDER BY version DESC LIMIT 1`,
      [projectId, useCaseId],
    );
    if (!rows[0]) return null;
    const row = normalise(rows[0]);
    return {
      tier: row.tier,
      koreaHighImpact: row.korea_high_impact,
      prohibited: row.prohibited,
      completedAt: row.completed_at,
      version: row.version,
      scorecard: row.scorecard,
    };
  }

  /** The use case's id (given its id or name) in the project; the approach must be one of its own. */
  async #checkScope(projectId: string, useCaseId: string, approachId: string | undefined): Promise<string> {
    const { rows } = await this.#db.query<{ id: string }>(
      'SELECT id FROM gov_use_cases WHERE project_id = $1 AND (id = $2 OR name = $2) ORDER BY (id = $2) DESC LIMIT 1',
      [projectId, useCaseId],
    );
    if (!rows[0]) throw unknownUseCase(useCaseId);
    useCaseId = rows[0].id;
    if (approachId === undefined) return useCaseId;
    const approach = await this.#db.query<{ id: string }>(
      'SELECT id FROM gov_approaches WHERE project_id = $1 AND use_case_id = $2 AND id = $3',
      [projectId, useCaseId, approachId],
    );
    if (!approach.rows[0])
      throw new KeelError('not_found', `No approach "${approachId}" under use case "${useCaseId}".`, {
        issues: [{ code: 'unknown_approach', path: ['approach_id'], message: `no approach ${approachId}` }],
      });
    return useCaseId;
  }
}
