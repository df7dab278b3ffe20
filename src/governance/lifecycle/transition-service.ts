/**
 * @module governance/lifecycle/transition-service
 * Moves an asset between lifecycle stages. A move is checked in this order: the asset exists in
 * the caller's project; the caller's row version is current; the target is an allowed next stage;
 * the caller's role may make it; the evidence is there. The asset row is locked for the move
 * (`SELECT … FOR UPDATE`) and its `row_version` bumped, so of two concurrent moves exactly one
 * wins; the other gets a coded 409. Every move and every refusal is audited.
 */
import type { z } from 'zod';
import type { transitionSchema, validationReportSchema } from '../../api/governance.js';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { roleAllows } from '../../platform/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EvaluationRunsV1 } from '../../spec/evaluation-runs.js';
import type { Missing } from '../approvals/approval-policy.js';
import type { InventoryStore } from '../inventory/inventory-store.js';
import { type ApproachRow, ASSET_COLUMNS, type AssetRow, type GovCaller } from '../inventory/rows.js';
import { evidenceMissing } from './evidence.js';
import type { RiskReader } from './risk-reader.js';
import { nextStages, permissionFor, type Stage } from './stages.js';

export type TransitionInput = z.output<typeof transitionSchema>;
export type ValidationReport = z.output<typeof validationReportSchema>;

export interface TransitionDeps {
  db: DatabaseV1;
  audit: AuditRecorder;
  inventory: InventoryStore;
  risk: () => RiskReader;
  evaluationRuns: () => EvaluationRunsV1 | undefined;
  /** Called after every committed change of an asset (the gate's cache listens). */
  changed: (projectId: string) => void;
}

export class TransitionService {
  constructor(readonly deps: TransitionDeps) {}

  /**
   * The summaries of the runs an approach's evaluation assets name, read ahead of the move; inside
   * the move a run not read here (tracked meanwhile) counts as missing evidence.
   */
  async #runsOf(projectId: string, approachId: string): Promise<EvaluationRunsV1 | undefined> {
    const source = this.deps.evaluationRuns();
    if (!source) return undefined;
    const { rows } = await this.deps.db.query<{ ref: string }>(
      `SELECT ref FROM gov_assets WHERE approach_id = $1 AND kind = 'evaluation_run' AND stage <> 'retire'`,
      [approachId],
    );
    const summaries = new Map<string, Awaited<ReturnType<EvaluationRunsV1['getRun']>>>();
    for (const { ref } of rows) summaries.set(ref, await source.getRun(projectId, ref));
    return {
      specificationVersion: 'v1',
      getRun: async (_projectId, runId) => summaries.get(runId) ?? null,
    };
  }

  async transition(caller: GovCaller, assetId: string, input: TransitionInput): Promise<AssetRow> {
    const { db, inventory } = this.deps;
    // Read outside the transaction what the evidence needs from other services.
    const seen = await inventory.asset(caller.projectId, assetId);
    const useCase = await inventory.findUseCase(caller.projectId, seen.use_case_id);
    const risk = await this.deps.risk().latest(caller.projectId, seen.use_case_id);
    // Evaluation runs are read here too: the evaluation module reads through its own connection,
    // which on the embedded database (one connection) would wait for this move's transaction.
    const runs = input.to === 'approve' ? await this.#runsOf(caller.projectId, seen.approach_id) : undefined;
    const refuse = (error: KeelError, from: Stage): never => {
      this.#refused(caller, seen, from, input.to, error);
      throw error;
    };
    const moved = await db.transaction(async (tx) => {
      const asset = await inventory.asset(caller.projectId, assetId, tx, true);
      const from = asset.stage;
      if (input.expected_row_version !== undefined && input.expected_row_version !== asset.row_version) {
        refuse(
          new KeelError(
            'conflict',
            `The asset changed meanwhile (row version ${asset.row_version}, not ${input.expected_row_version}).`,
            {
              data: { stage: from, row_version: asset.row_version },
              issues: [
                {
                  code: 'stale_row_version',
                  path: ['expected_row_version'],
                  message: `the asset is at row version ${asset.row_version} (${from})`,
                },
              ],
            },
          ),
          from,
        );
      }
      const allowed = nextStages[from];
      if (!allowed.includes(input.to)) {
        refuse(
          new KeelError(
            'invalid_transition',
            `An asset in "${from}" cannot move to "${input.to}"; allowed next: ${allowed.join(', ') || 'none (retired)'}.`,
            {
              data: { stage: from, allowed: [...allowed] },
              issues: [
                {
                  code: 'transition_out_of_order',
                  path: ['to'],
                  message: `allowed from ${from}: ${allowed.join(', ') || 'none'}`,
                },
              ],
            },
          ),
          from,
        );
      }
      const permission = permissionFor(from, input.to);
      if (!roleAllows(caller.role, permission)) {
        refuse(
          new KeelError(
            'forbidden',
            `Moving ${from} → ${input.to} needs the "${permission}" permission; the ${caller.role} role lacks it.`,
            {
              issues: [{ code: 'role_not_allowed', path: ['to'], message: `needs ${permission}` }],
            },
          ),
          from,
        );
      }
      const { rows: approaches } = await tx.query<ApproachRow>('SELECT * FROM gov_approaches WHERE id = $1', [
        asset.approach_id,
      ]);
      const { rows: evaluations } =
        input.to === 'approve'
          ? await tx.query<AssetRow>(
              `SELECT ${ASSET_COLUMNS} FROM gov_assets a JOIN gov_approaches p ON p.id = a.approach_id
               WHERE a.approach_id = $1 AND a.kind = 'evaluation_run' AND a.stage <> 'retire'`,
              [asset.approach_id],
            )
          : { rows: [] };
      const missing = await evidenceMissing(
        input.to,
        {
          asset,
          approach: approaches[0]!,
          evaluations,
          risk,
          useCaseStatus: useCase.status,
          production: input.production,
        },
        runs,
      );
      if (missing.length) refuse(gateRefusal(`Moving ${from} → ${input.to}`, missing), from);
      const update = await tx.query(
        `UPDATE gov_assets SET stage = $3, row_version = row_version + 1, updated_at = now()
         WHERE project_id = $1 AND id = $2 AND row_version = $4`,
        [caller.projectId, asset.id, input.to, asset.row_version],
      );
      if (update.affectedRows !== 1)
        refuse(
          new KeelError('conflict', 'The asset changed meanwhile; read it again.', {
            issues: [{ code: 'stale_row_version', path: [], message: 'concurrent move' }],
          }),
          from,
        );
      await inventory.history(
        tx,
        asset.id,
        caller.projectId,
        'transition',
        from,
        input.to,
        caller.actor,
        caller.role,
        {
          ...(input.note ? { note: input.note } : {}),
          production: input.production,
        },
      );
      return { from, asset: await inventory.asset(caller.projectId, asset.id, tx) };
    });
    this.deps.audit.record({
      action: 'governance.asset.transition',
      projectId: caller.projectId,
      target: { type: 'gov_asset', id: assetId },
      before: { stage: moved.from },
      after: { stage: moved.asset.stage },
      detail: {
        from: moved.from,
        to: moved.asset.stage,
        useCaseId: moved.asset.use_case_id,
        rowVersion: moved.asset.row_version,
      },
    });
    this.deps.changed(caller.projectId);
    return moved.asset;
  }

  /** A validator's report on the asset's current revision (evidence for validate → approve). */
  async report(caller: GovCaller, assetId: string, report: ValidationReport): Promise<AssetRow> {
    const { db, inventory } = this.deps;
    if (!roleAllows(caller.role, 'validate')) {
      const error = new KeelError('forbidden', 'Validation reports are written by validators or admins.', {
        issues: [{ code: 'role_not_allowed', path: [], message: 'needs validate' }],
      });
      this.deps.audit.record({
        action: 'governance.validation_report.refused',
        projectId: caller.projectId,
        target: { type: 'gov_asset', id: assetId },
        detail: { reason: 'role_not_allowed', role: caller.role },
      });
      throw error;
    }
    const asset = await db.transaction(async (tx) => {
      const locked = await inventory.asset(caller.projectId, assetId, tx, true);
      await tx.query(
        'UPDATE gov_assets SET validation_report = $2, row_version = row_version + 1, updated_at = now() WHERE id = $1',
        [locked.id, JSON.stringify({ ...report, revision: locked.revision, by: caller.actor })],
      );
      await inventory.history(
        tx,
        locked.id,
        caller.projectId,
        'report',
        locked.stage,
        locked.stage,
        caller.actor,
        caller.role,
        {
          passed: report.passed,
        },
      );
      return inventory.asset(caller.projectId, locked.id, tx);
    });
    this.deps.audit.record({
      action: 'governance.validation_report.create',
      projectId: caller.projectId,
      target: { type: 'gov_asset', id: asset.id },
      after: report,
      detail: { passed: report.passed, revision: asset.revision },
    });
    this.deps.changed(caller.projectId);
    return asset;
  }

  #refused(caller: GovCaller, asset: AssetRow, from: Stage, to: Stage, error: KeelError): void {
    this.deps.audit.record({
      action: 'governance.asset.transition.refused',
      projectId: caller.projectId,
      target: { type: 'gov_asset', id: asset.id },
      detail: {
        from,
        to,
        code: error.code,
        reasons: (error.issues ?? []).map((issue) => issue.code).join(','),
        role: caller.role,
      },
    });
  }
}

/** The coded refusal naming everything missing. */
export function gateRefusal(what: string, missing: Missing[]): KeelError {
  return new KeelError('gate_refused', `${what} needs: ${missing.map((item) => item.message).join('; ')}.`, {
    data: { missing },
    issues: missing.map((item) => ({ code: item.code, path: [], message: item.message })),
  });
}
