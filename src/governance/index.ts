/**
 * @module governance
 * Governance: the use-case inventory with versioned approaches and tracked assets, the lifecycle
 * (idea → develop → validate → approve → deploy → monitor → retire) with its checked transitions,
 * approvals with separation of duties, and the gates that hold at serving time (the prompts
 * module's production label; `governance.gate.check` for deployments). Other modules import it
 * only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { EvalService } from '../evals/index.js';
import type { PromptLab } from '../prompts/index.js';
import { FactsheetService } from './factsheets/factsheet-service.js';
import type { WatchedIncident, WatchedMonitor } from './factsheets/serving-facts.js';
import { templateDescriber } from './factsheets/template-facts.js';
import { GovernanceService } from './governance-service.js';
import { evaluationRunsFrom } from './lifecycle/eval-runs-adapter.js';
import { RiskService } from './risk/risk-service.js';

export type { ApprovalService } from './approvals/approval-service.js';
export { type FactsheetExport, FactsheetService } from './factsheets/factsheet-service.js';
export { type GovernanceDeps, GovernanceService, type LabelMoveCheck } from './governance-service.js';
export type { InventoryStore } from './inventory/inventory-store.js';
export { approachJson, type GovCaller, toUseCaseJson } from './inventory/rows.js';
export type { AssetChange } from './lifecycle/change-feed.js';
export { type AssetRef, type GateResult, parseAssetRef } from './lifecycle/gate.js';
export type { RiskReader, RiskSummary, RiskTier } from './lifecycle/risk-reader.js';
export { nextStages, type Phase, phaseOf, type Stage, stages } from './lifecycle/stages.js';
export { type AssessmentRow, assessmentJson, RiskService } from './risk/risk-service.js';

export interface GovernanceModuleDeps extends ModuleBase {
  audit: AuditLog;
  prompts: PromptLab;
  /** Evaluation runs are evidence for validation (read through the spec/evaluation-runs port). */
  evals?: EvalService;
  /** The monitoring module's monitors and incidents: factsheets list those of serving deployments. */
  monitoring?: {
    monitors: { list(projectId: string, filter: { deploymentId?: string }): Promise<WatchedMonitor[]> };
  };
  incidents?: { list(projectId: string): Promise<WatchedIncident[]> };
}

/** The governance module: one service; its change feed follows the audit chain while running. */
export const governanceModule: KeelModule<
  GovernanceModuleDeps,
  { governance: GovernanceService; risk: RiskService; factsheets: FactsheetService }
> = {
  name: 'governance',
  create: ({ db, audit, logger, prompts, evals, monitoring, incidents, config }) => {
    const governance = new GovernanceService({
      db,
      audit,
      logger,
      flushAudit: () => audit.flush(),
      resolveSource: async (projectId, kind, ref) => {
        if (kind !== 'prompt_template') return null;
        try {
          const located = await prompts.templates.locate(projectId, {
            name: ref,
            selector: { kind: 'latest' },
          });
          return { type: 'template', id: located.id };
        } catch {
          return null;
        }
      },
    });
    prompts.labels.setGate((move) => governance.checkLabelMove(move));
    const evaluationRuns = evals ? evaluationRunsFrom(evals.runs, evals.datasets) : undefined;
    if (evaluationRuns) governance.setEvaluationRuns(evaluationRuns);
    // Risk assessments feed the approval and deployment gates: a prohibited one blocks the use
    // case, and each re-evaluates the approvals of its assets against the tier it puts in force.
    const risk = new RiskService({ db, audit, assessed: (assessment) => governance.assessed(assessment) });
    governance.setRisk(risk);
    const factsheets = new FactsheetService({
      db,
      audit,
      recorder: audit,
      risk,
      describeTemplate: templateDescriber(prompts),
      // Captured from what the other modules recorded: Keel runs and dataset digests, and the
      // monitors and incidents of the deployments that serve the assets.
      evaluationRuns,
      watch:
        monitoring && incidents
          ? {
              monitors: (projectId, deploymentId) => monitoring.monitors.list(projectId, { deploymentId }),
              incidents: (projectId) => incidents.list(projectId),
            }
          : undefined,
      // factsheets.font (KEEL_FACTSHEET_FONT overrides keel.yaml), then the search list.
      fontPath: config.factsheets.font ?? null,
      fontSearchPaths: config.factsheets.fontSearchPaths,
    });
    return { governance, risk, factsheets };
  },
  start: ({ governance }) => governance.feed.start(),
  stop: ({ governance }) => governance.feed.stop(),
};
