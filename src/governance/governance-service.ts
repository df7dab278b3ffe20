/**
 * @module governance/governance-service
 * The governance service: the inventory, lifecycle transitions, approvals, the change feed and
 * the serving-time gate, over one database. HTTP, CLI and SDK call these functions.
 */
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import type { GatePurpose } from '../spec/deployment-gate.js';
import type { EvaluationRunsV1 } from '../spec/evaluation-runs.js';
import { ApprovalService } from './approvals/approval-service.js';
import { InventoryStore, type TrackAsset } from './inventory/inventory-store.js';
import { type AssetRow, assetJson, type GovCaller, toUseCaseJson } from './inventory/rows.js';
import { type AssetChange, ChangeFeed } from './lifecycle/change-feed.js';
import { type AssetRef, evaluateGate, GateCache, type GateResult } from './lifecycle/gate.js';
import { noRiskAssessments, type RiskReader } from './lifecycle/risk-reader.js';
import { gateRefusal, TransitionService } from './lifecycle/transition-service.js';
import type { AssessedUseCase } from './risk/risk-service.js';

/** Finds where a tracked asset's own changes appear in the audit chain (e.g. a template's id). */
export type SourceResolver = (
  projectId: string,
  kind: string,
  ref: string,
) => Promise<{ type: string; id: string } | null>;

export interface GovernanceDeps {
  db: DatabaseV1;
  audit: AuditRecorder;
  logger?: Logger;
  resolveSource?: SourceResolver;
  risk?: RiskReader;
  evaluationRuns?: EvaluationRunsV1;
  feedIntervalMs?: number;
  /** Writes buffered audit records (the audit log's flush). */
  flushAudit?: () => Promise<void>;
}

/** The label move the prompts module asks about before it moves a label. */
export interface LabelMoveCheck {
  projectId: string;
  name: string;
  label: string;
  version: number;
  session?: DatabaseSession | undefined;
}

export class GovernanceService {
  readonly inventory: InventoryStore;
  readonly transitions: TransitionService;
  readonly approvals: ApprovalService;
  readonly feed: ChangeFeed;
  readonly #cache: GateCache;
  #risk: RiskReader;
  #evaluationRuns: EvaluationRunsV1 | undefined;
  readonly #resolveSource: SourceResolver | undefined;

  /**
   * The serving-time gate (cached; dropped on every governance change of the project). Asked with a
   * purpose (someone deploying into a production space), a refusal is audited.
   */
  readonly gate: {
    check: (projectId: string, asset: AssetRef, purpose?: GatePurpose) => GateResult | Promise<GateResult>;
    invalidate: (projectId?: string) => void;
  };

  constructor(readonly deps: GovernanceDeps) {
    this.#risk = deps.risk ?? noRiskAssessments;
    this.#evaluationRuns = deps.evaluationRuns;
    this.#resolveSource = deps.resolveSource;
    this.inventory = new InventoryStore(deps.db, deps.audit);
    this.#cache = new GateCache((projectId, asset) => evaluateGate(deps.db, projectId, asset));
    const changed = (projectId: string) => this.#cache.invalidate(projectId);
    this.gate = {
      check: (projectId, asset, purpose) => {
        const result = this.#cache.check(projectId, asset);
        if (!purpose) return result;
        const audited = (answer: GateResult) => {
          if (!answer.allowed) this.#deploymentRefused(projectId, asset, answer, purpose);
          return answer;
        };
        return result instanceof Promise ? result.then(audited) : audited(result);
      },
      invalidate: (projectId) => this.#cache.invalidate(projectId),
    };
    this.transitions = new TransitionService({
      db: deps.db,
      audit: deps.audit,
      inventory: this.inventory,
      risk: () => this.#risk,
      evaluationRuns: () => this.#evaluationRuns,
      changed,
    });
    this.approvals = new ApprovalService({
      db: deps.db,
      audit: deps.audit,
      inventory: this.inventory,
      risk: () => this.#risk,
      changed,
      flushAudit: deps.flushAudit,
    });
    this.feed = new ChangeFeed({
      db: deps.db,
      apply: async (change) => {
        await this.applyChange(change);
      },
      touched: changed,
      intervalMs: deps.feedIntervalMs,
      onError: (error) => deps.logger?.warn({ err: error }, 'governance change feed pass failed'),
    });
  }

  /** Wires the risk service (it is built after this service, by the same module). */
  setRisk(risk: RiskReader): void {
    this.#risk = risk;
  }

  /** Wires the evaluation runs port (the evaluation module implements it). */
  setEvaluationRuns(runs: EvaluationRunsV1): void {
    this.#evaluationRuns = runs;
  }

  get risk(): RiskReader {
    return this.#risk;
  }

  async describeUseCase(projectId: string, id: string) {
    const row = await this.inventory.findUseCase(projectId, id);
    const approaches = await this.inventory.approaches([row.id]);
    const risk = await this.#risk.latest(projectId, row.id);
    return toUseCaseJson(
      row,
      approaches.get(row.id) ?? [],
      risk && { tier: risk.prohibited ? 'prohibited' : risk.tier, koreaHighImpact: risk.koreaHighImpact },
    );
  }

  async trackAsset(caller: GovCaller, input: TrackAsset): Promise<AssetRow> {
    if (input.kind === 'external_model' && !input.external)
      throw new KeelError('invalid_request', 'An external model needs its endpoint.', {
        issues: [
          {
            code: 'external_required',
            path: ['external'],
            message: 'give external.endpoint_url and platform',
          },
        ],
      });
    let source = await this.#resolveSource?.(caller.projectId, input.kind, input.ref);
    if (source === undefined) source = null;
    if (input.kind === 'prompt_template' && !source)
      throw new KeelError('not_found', `No template "${input.ref}" in this project.`, {
        issues: [{ code: 'unknown_template', path: ['ref'], message: 'track an existing template' }],
      });
    if (!source && ['rag_collection', 'deployment', 'model', 'dataset'].includes(input.kind))
      source = { type: input.kind === 'rag_collection' ? 'collection' : input.kind, id: input.ref };
    if (!source && input.kind === 'guardrail_policy') source = { type: 'policy', id: input.ref };
    const asset = await this.inventory.trackAsset(caller, input, source);
    this.#cache.invalidate(caller.projectId);
    return asset;
  }

  /**
   * A risk assessment was completed (the risk service calls this): a prohibited one blocks the use
   * case, and the standing approvals of its assets are held against the new tier. The gate's cache
   * for the project is dropped here at once; other replicas drop theirs when the change feed reads
   * the audit records.
   */
  async assessed(assessment: AssessedUseCase): Promise<void> {
    const { projectId, useCaseId } = assessment;
    try {
      if (assessment.prohibited)
        await this.inventory.blockUseCase(projectId, useCaseId, assessment.blockReason ?? 'prohibited');
      await this.approvals.reevaluate(projectId, useCaseId, {
        id: assessment.assessmentId,
        version: assessment.version,
        tier: assessment.prohibited ? 'prohibited' : assessment.tier,
      });
    } finally {
      this.#cache.invalidate(projectId);
    }
  }

  /** A change to a governed asset: new revision, approval dropped, back to validate if it had passed. */
  async applyChange(change: AssetChange): Promise<number> {
    const touched = await this.deps.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; stage: string; ref_version: number | null }>(
        `SELECT id, stage, ref_version FROM gov_assets WHERE project_id = $1 AND source_type = $2 AND source_id = $3
           AND stage <> 'retire' AND ($4::bigint IS NULL OR last_change_seq < $4::bigint) FOR UPDATE`,
        [change.projectId, change.source.type, change.source.id, change.seq],
      );
      for (const row of rows) {
        const back = ['approve', 'deploy', 'monitor'].includes(row.stage);
        await tx.query(
          `UPDATE gov_assets SET revision = revision + 1, row_version = row_version + 1, approved_revision = NULL,
             ref_version = CASE WHEN ref_version IS NULL THEN NULL ELSE coalesce($2, ref_version) END,
             stage = CASE WHEN $3::boolean THEN 'validate' ELSE stage END,
             last_change_seq = greatest(last_change_seq, coalesce($4::bigint, last_change_seq)), updated_at = now()
           WHERE id = $1`,
          [row.id, change.version, back, change.seq],
        );
        await this.inventory.history(
          tx,
          row.id,
          change.projectId,
          'change',
          row.stage,
          back ? 'validate' : row.stage,
          change.actor,
          null,
          {
            cause: change.cause,
            version: change.version,
          },
        );
      }
      return rows;
    });
    for (const row of touched) {
      this.deps.audit.record({
        action: 'governance.asset.change',
        projectId: change.projectId,
        target: { type: 'gov_asset', id: row.id },
        actor: { keyId: null, userId: null, role: 'system' },
        detail: {
          cause: change.cause,
          changedBy: change.actor,
          from: row.stage,
          to: ['approve', 'deploy', 'monitor'].includes(row.stage) ? 'validate' : row.stage,
          version: change.version,
        },
      });
    }
    if (touched.length) this.#cache.invalidate(change.projectId);
    return touched.length;
  }

  /**
   * The label gate the prompts module calls before moving a label: moving `production` on a
   * governed template needs a valid approval of that version. Read fresh (not cached) in the
   * mover's transaction.
   */
  async checkLabelMove(move: LabelMoveCheck): Promise<void> {
    if (move.label !== 'production') return;
    const result = await evaluateGate(move.session ?? this.deps.db, move.projectId, {
      kind: 'prompt_template',
      ref: move.name,
      version: move.version,
    });
    if (result.allowed) return;
    this.deps.audit.record({
      action: 'governance.gate.refused',
      projectId: move.projectId,
      target: { type: 'gov_asset', id: result.asset_id },
      detail: {
        gate: 'template.label.production',
        name: move.name,
        version: move.version,
        reasons: result.missing.map((item) => item.code).join(','),
      },
    });
    const error = gateRefusal(
      `Moving the production label of "${move.name}" to version ${move.version}`,
      result.missing,
    );
    throw error;
  }

  /** A production-space deployment the gate refused, audited like a refused label move. */
  #deploymentRefused(projectId: string, asset: AssetRef, result: GateResult, purpose: GatePurpose): void {
    this.deps.audit.record({
      action: 'governance.gate.refused',
      projectId,
      target: { type: 'gov_asset', id: result.asset_id },
      detail: {
        gate: 'deployment.production',
        action: purpose.action,
        deployment: purpose.deployment ?? null,
        space: purpose.space ?? null,
        kind: asset.kind,
        ref: asset.ref,
        version: asset.version ?? null,
        useCaseId: result.use_case_id,
        reasons: result.missing.map((item) => item.code).join(','),
      },
    });
  }

  assetJson = assetJson;
}
