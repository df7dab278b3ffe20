/**
 * @module governance/factsheets/factsheet-facts
 * Gathers what was recorded about a use case and one approach: the inventory rows (use case,
 * approaches, assets, their history, approvals), the risk assessments, each tracked template's
 * model and parameters, the Keel evaluation runs and dataset digests behind its evaluations, the
 * deployments serving its assets with their monitors and incidents, and the audit records of every
 * related target (the use case, its approaches, assets and their sources, assessments, decisions,
 * those deployments, monitors and incidents) plus the monitor and incident records that name one. Everything is read in the caller's project: a use case of
 * another project is "not found", with no hint that it exists.
 */
import type { AuditLog, AuditRow } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EvaluationRunsV1 } from '../../spec/evaluation-runs.js';
import { type ApproachRow, ASSET_COLUMNS, type AssetRow, type UseCaseRow } from '../inventory/rows.js';
import type { AssessmentRow, RiskService } from '../risk/risk-service.js';
import { type EvaluationFacts, gatherEvaluationFacts } from './evaluation-facts.js';
import { gatherServingFacts, type ServingFacts, type ServingWatch } from './serving-facts.js';

/** What a tracked prompt template is, as the prompts module stores the pinned version. */
export interface TemplateFacts {
  version: number;
  mode: string;
  modelId: string | null;
  parameters: Record<string, unknown>;
  guardrailPolicy: string | null;
}

export type TemplateDescriber = (
  projectId: string,
  name: string,
  version: number | null,
) => Promise<TemplateFacts | null>;

export interface HistoryRow {
  id: string;
  asset_id: string;
  event: string;
  from_stage: string | null;
  to_stage: string | null;
  actor: string | null;
  actor_role: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

export interface ApprovalRow {
  id: string;
  asset_id: string;
  asset_revision: number;
  decision: 'go' | 'no_go';
  reasons: string;
  approver: string;
  approver_role: string;
  risk_tier: string | null;
  risk_version: number | null;
  supersedes: string | null;
  created_at: Date;
}

export interface Facts extends EvaluationFacts, ServingFacts {
  projectId: string;
  useCase: UseCaseRow;
  approaches: ApproachRow[];
  approach: ApproachRow | null;
  assets: AssetRow[];
  history: HistoryRow[];
  approvals: ApprovalRow[];
  assessments: AssessmentRow[];
  templates: Map<string, TemplateFacts>;
  events: AuditRow[];
}

export interface FactsDeps {
  db: DatabaseV1;
  audit: Pick<AuditLog, 'query'>;
  risk: Pick<RiskService, 'history'>;
  describeTemplate?: TemplateDescriber | undefined;
  /** Keel evaluation runs and datasets (the evaluation module's), for results and dataset digests. */
  evaluationRuns?: EvaluationRunsV1 | undefined;
  /** Monitors and incidents (the monitoring module's) of the deployments serving the assets. */
  watch?: ServingWatch | undefined;
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export function unknownUseCase(id: string): KeelError {
  return new KeelError('not_found', `No use case "${id}" in this project.`, {
    issues: [{ code: 'unknown_use_case', path: ['use_case_id'], message: `no use case ${id}` }],
  });
}

/** Finds an approach by id or version number. */
export function pickApproach(approaches: ApproachRow[], selector: string | undefined): ApproachRow | null {
  if (selector === undefined) return approaches.at(-1) ?? null;
  const found = approaches.find(
    (approach) =>
      approach.id === selector || (/^\d+$/.test(selector) && approach.version === Number(selector)),
  );
  if (!found)
    throw new KeelError('not_found', `No approach "${selector}" under this use case.`, {
      issues: [{ code: 'unknown_approach', path: ['approach'], message: `no approach ${selector}` }],
    });
  return found;
}

const EVENT_PAGE = 5_000;
const MAX_EVENTS = 50_000;

/** A target whose audit records belong to the factsheet: its type (the target index serves the read) and id. */
interface Target {
  type: string;
  id: string;
}

async function eventsOf(
  audit: FactsDeps['audit'],
  projectId: string,
  targets: Target[],
): Promise<AuditRow[]> {
  const targetIds = [...new Set(targets.map((target) => target.id))];
  const bySeq = new Map<number, AuditRow>();
  for (const target of targets) {
    let cursor: number | undefined;
    do {
      const page = await audit.query({
        projectId,
        targetType: target.type,
        targetId: target.id,
        cursor,
        limit: EVENT_PAGE,
      });
      for (const row of page.rows) bySeq.set(Number(row.seq), row);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && bySeq.size < MAX_EVENTS);
  }
  // Monitors, alerts and incidents name what they watch in their details.
  for (const action of ['monitor.*', 'alert.*', 'incident.*']) {
    let cursor: number | undefined;
    do {
      const page = await audit.query({ projectId, action, cursor, limit: EVENT_PAGE });
      for (const row of page.rows) {
        const text = `${row.target_id ?? ''} ${row.detail ?? ''}`;
        if (targetIds.some((id) => id.length > 3 && text.includes(id))) bySeq.set(Number(row.seq), row);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && bySeq.size < MAX_EVENTS);
  }
  return [...bySeq.values()].sort((a, b) => Number(a.seq) - Number(b.seq));
}

export async function gatherFacts(
  deps: FactsDeps,
  projectId: string,
  useCaseId: string,
  approachSelector?: string,
): Promise<Facts> {
  const { db } = deps;
  // By id, or by name (unique in the project).
  const useCases = await db.query<UseCaseRow>(
    'SELECT * FROM gov_use_cases WHERE project_id = $1 AND (id = $2 OR name = $2) ORDER BY (id = $2) DESC LIMIT 1',
    [projectId, useCaseId],
  );
  const useCase = useCases.rows[0];
  if (!useCase) throw unknownUseCase(useCaseId);
  useCase.tags = json(useCase.tags);
  const approaches = (
    await db.query<ApproachRow>(
      'SELECT * FROM gov_approaches WHERE project_id = $1 AND use_case_id = $2 ORDER BY version',
      [projectId, useCase.id],
    )
  ).rows.map((row) => ({ ...row, thresholds: json<ApproachRow['thresholds']>(row.thresholds) }));
  const approach = pickApproach(approaches, approachSelector);
  const assets = approach
    ? (
        await db.query<AssetRow>(
          `SELECT ${ASSET_COLUMNS} FROM gov_assets a JOIN gov_approaches p ON p.id = a.approach_id
            WHERE a.project_id = $1 AND a.approach_id = $2 ORDER BY a.kind, a.name, a.created_at`,
          [projectId, approach.id],
        )
      ).rows.map((row) => ({
        ...row,
        metadata: json<Record<string, unknown>>(row.metadata ?? {}),
        results: json<AssetRow['results']>(row.results),
        validation_report: json<AssetRow['validation_report']>(row.validation_report),
      }))
    : [];
  const assetIds = assets.map((asset) => asset.id);
  const history = assetIds.length
    ? (
        await db.query<HistoryRow>(
          'SELECT * FROM gov_asset_history WHERE project_id = $1 AND asset_id = ANY($2) ORDER BY at, id',
          [projectId, assetIds],
        )
      ).rows.map((row) => ({ ...row, detail: json<Record<string, unknown>>(row.detail ?? {}) }))
    : [];
  const approvals = assetIds.length
    ? (
        await db.query<ApprovalRow>(
          'SELECT * FROM gov_approvals WHERE project_id = $1 AND asset_id = ANY($2) ORDER BY created_at, id',
          [projectId, assetIds],
        )
      ).rows
    : [];
  const assessments = await deps.risk.history(projectId, useCase.id);
  const templates = new Map<string, TemplateFacts>();
  if (deps.describeTemplate)
    for (const asset of assets.filter((a) => a.kind === 'prompt_template')) {
      const facts = await deps.describeTemplate(projectId, asset.ref, asset.ref_version).catch(() => null);
      if (facts) templates.set(asset.id, facts);
    }
  const targets: Target[] = [
    { type: 'use_case', id: useCase.id },
    ...approaches.map((a) => ({ type: 'approach', id: a.id })),
    ...assetIds.map((id) => ({ type: 'gov_asset', id })),
    ...assessments.map((a) => ({ type: 'risk_assessment', id: a.id })),
    ...approvals.map((a) => ({ type: 'gov_approval', id: a.id })),
  ];
  const evaluation = await gatherEvaluationFacts(projectId, assets, deps.evaluationRuns);
  const serving = await gatherServingFacts(deps.audit, projectId, assets, deps.watch);
  const keys = new Set(targets.map((t) => `${t.type}:${t.id}`));
  const related: Target[] = [
    ...assets.flatMap((asset) =>
      asset.source_type && asset.source_id ? [{ type: asset.source_type, id: asset.source_id }] : [],
    ),
    // Deployments serving the assets (tracked or not), their monitors and incidents.
    ...serving.deployments.map((entry) => ({ type: 'deployment', id: entry.deploymentId })),
    ...serving.monitors.map((monitor) => ({ type: 'monitor', id: monitor.id })),
    ...serving.incidents.map((incident) => ({ type: 'incident', id: incident.id })),
  ];
  for (const target of related)
    if (!keys.has(`${target.type}:${target.id}`)) {
      keys.add(`${target.type}:${target.id}`);
      targets.push(target);
    }
  const events = await eventsOf(deps.audit, projectId, targets);
  return {
    projectId,
    useCase,
    approaches,
    approach,
    assets,
    history,
    approvals,
    assessments,
    templates,
    events,
    ...evaluation,
    ...serving,
  };
}
