/**
 * @module governance/approvals/approval-service
 * Go / no-go decisions on an asset waiting in the approve stage. Decisions are insert-only (the
 * table refuses updates); a reversal is a new decision naming the one it supersedes. Only
 * validators and admins decide; nobody decides on an asset they created or changed (separation
 * of duties, read from the asset's history); nobody holds two standing decisions on one revision.
 * After each decision, and after each new risk assessment of the use case, the asset's
 * `approved_revision` is recomputed, so the gate reads one row.
 * Every refused attempt is audited.
 */
import type { z } from 'zod';
import type { ApprovalJson, createApprovalSchema, listApprovalsQuerySchema } from '../../api/governance.js';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { roleAllows } from '../../platform/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { type InventoryStore, notFound } from '../inventory/inventory-store.js';
import type { AssetRow, GovCaller } from '../inventory/rows.js';
import type { RiskReader, RiskTier } from '../lifecycle/risk-reader.js';
import { approvedStages, type Stage } from '../lifecycle/stages.js';
import { type Decision, evaluateApproval, type Missing, standing } from './approval-policy.js';

export type CreateApproval = z.output<typeof createApprovalSchema>;
export type ListApprovals = z.output<typeof listApprovalsQuerySchema>;

interface ApprovalRow extends Decision {
  project_id: string;
  use_case_id: string;
  asset_id: string;
  asset_revision: number;
  reasons: string;
  risk_tier: string | null;
  created_at: Date;
}

export function approvalJson(row: ApprovalRow): ApprovalJson {
  return {
    id: row.id,
    project_id: row.project_id,
    use_case_id: row.use_case_id,
    asset_id: row.asset_id,
    asset_revision: row.asset_revision,
    decision: row.decision,
    reasons: row.reasons,
    approver: row.approver,
    approver_role: row.approver_role,
    risk_tier: row.risk_tier,
    supersedes: row.supersedes,
    created_at: new Date(row.created_at).toISOString(),
  };
}

export interface ApprovalDeps {
  db: DatabaseV1;
  audit: AuditRecorder;
  inventory: InventoryStore;
  risk: () => RiskReader;
  changed: (projectId: string) => void;
  /** Writes buffered audit records, so the authors read from the chain are complete. */
  flushAudit?: (() => Promise<void>) | undefined;
}

/** An asset whose approval a new risk assessment changed. */
export interface Reevaluated {
  assetId: string;
  from: string;
  to: string;
  approved: boolean;
  missing: string[];
}

export class ApprovalService {
  constructor(readonly deps: ApprovalDeps) {}

  async decide(
    caller: GovCaller,
    input: CreateApproval,
  ): Promise<{ approval: ApprovalJson; approved: boolean; missing: Missing[] }> {
    const { db, inventory } = this.deps;
    const seen = await inventory.asset(caller.projectId, input.asset_id);
    const refuse = (
      code: 'forbidden' | 'conflict' | 'gate_refused' | 'invalid_transition' | 'not_found',
      issue: string,
      message: string,
    ): never => {
      this.deps.audit.record({
        action: 'governance.approval.refused',
        projectId: caller.projectId,
        target: { type: 'gov_asset', id: seen.id },
        detail: { reason: issue, decision: input.decision, role: caller.role, useCaseId: seen.use_case_id },
      });
      throw new KeelError(code, message, { issues: [{ code: issue, path: [], message }] });
    };
    if (!roleAllows(caller.role, 'validate'))
      refuse(
        'forbidden',
        'approver_role_required',
        `Approvals are decided by validators or admins; the ${caller.role} role cannot decide.`,
      );
    const risk = await this.deps.risk().latest(caller.projectId, seen.use_case_id);
    await this.deps.flushAudit?.();
    const madeIt = await inventory.sourceAuthors(caller.projectId, seen.source_type, seen.source_id);
    const tier = risk ? (risk.prohibited ? 'prohibited' : risk.tier) : null;
    const result = await db.transaction(async (tx) => {
      const asset = await inventory.asset(caller.projectId, seen.id, tx, true);
      if (asset.stage !== 'approve')
        refuse(
          'invalid_transition',
          'not_awaiting_approval',
          `The asset is in "${asset.stage}"; decisions are taken in the approve stage.`,
        );
      if (tier === 'prohibited' && input.decision === 'go')
        refuse(
          'gate_refused',
          'use_case_prohibited',
          'The risk assessment marks this use as prohibited; it cannot be approved.',
        );
      const authors = await inventory.authorsOf(asset.id, tx);
      if (authors.has(caller.actor) || madeIt.has(caller.actor))
        refuse(
          'forbidden',
          'separation_of_duties',
          'You created or changed this asset, so you cannot decide on it (separation of duties).',
        );
      const { rows } = await tx.query<ApprovalRow>(
        'SELECT * FROM gov_approvals WHERE asset_id = $1 AND asset_revision = $2 ORDER BY created_at, id',
        [asset.id, asset.revision],
      );
      if (input.supersedes && !rows.some((row) => row.id === input.supersedes))
        refuse(
          'not_found',
          'unknown_decision',
          `No decision "${input.supersedes}" on this revision of the asset.`,
        );
      if (input.supersedes && rows.some((row) => row.supersedes === input.supersedes))
        refuse('conflict', 'already_superseded', `Decision "${input.supersedes}" was already superseded.`);
      const mine = standing(rows).filter(
        (row) => row.approver === caller.actor && row.id !== input.supersedes,
      );
      if (mine.length)
        refuse(
          'conflict',
          'duplicate_approver',
          'You already decided on this revision; supersede your decision instead of adding another (distinct approvers are required).',
        );
      const id = newId('gdc');
      const inserted = await tx.query<ApprovalRow>(
        `INSERT INTO gov_approvals (id, project_id, use_case_id, asset_id, asset_revision, decision, reasons, approver, approver_role, risk_tier, risk_version, supersedes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
        [
          id,
          caller.projectId,
          asset.use_case_id,
          asset.id,
          asset.revision,
          input.decision,
          input.reasons,
          caller.actor,
          caller.role,
          tier,
          risk?.version ?? null,
          input.supersedes ?? null,
        ],
      );
      const all = [...rows, inserted.rows[0]!];
      const verdict = evaluateApproval(all, tier);
      await tx.query('UPDATE gov_assets SET approved_revision = $2, updated_at = now() WHERE id = $1', [
        asset.id,
        verdict.approved ? asset.revision : null,
      ]);
      return { approval: approvalJson(inserted.rows[0]!), ...verdict };
    });
    this.deps.audit.record({
      action: input.supersedes ? 'governance.approval.reverse' : 'governance.approval.decide',
      projectId: caller.projectId,
      target: { type: 'gov_approval', id: result.approval.id },
      after: result.approval,
      detail: {
        assetId: seen.id,
        decision: input.decision,
        revision: result.approval.asset_revision,
        approved: result.approved,
        riskTier: tier,
      },
    });
    this.deps.changed(caller.projectId);
    return result;
  }

  /**
   * A new risk assessment put `tier` in force for the use case: every asset's standing decisions on
   * its current revision are held against it again. An asset that loses its approval (a raise to
   * high needs a second approver; prohibited is never approved) has `approved_revision` cleared
   * and, when it was past approval (deploy, monitor), goes back to approve for the missing
   * decisions; one the decisions now satisfy is approved. Each change is in the asset's history and
   * audited; the gate's cache is dropped. Returns the assets whose approval changed.
   */
  async reevaluate(
    projectId: string,
    useCaseId: string,
    assessment: { id: string; version: number; tier: RiskTier },
  ): Promise<Reevaluated[]> {
    const { inventory } = this.deps;
    const changed = await this.deps.db.transaction(async (tx) => {
      const { rows: assets } = await tx.query<{
        id: string;
        stage: string;
        revision: number;
        approved_revision: number | null;
      }>(
        `SELECT id, stage, revision, approved_revision FROM gov_assets
          WHERE project_id = $1 AND use_case_id = $2 AND stage <> 'retire' ORDER BY id FOR UPDATE`,
        [projectId, useCaseId],
      );
      const out: Reevaluated[] = [];
      for (const asset of assets) {
        const { rows: decisions } = await tx.query<ApprovalRow>(
          'SELECT * FROM gov_approvals WHERE asset_id = $1 AND asset_revision = $2 ORDER BY created_at, id',
          [asset.id, asset.revision],
        );
        if (!decisions.length) continue;
        const verdict = evaluateApproval(decisions, assessment.tier);
        const approved = verdict.approved ? asset.revision : null;
        const held = asset.approved_revision === asset.revision ? asset.revision : null;
        if (approved === held) continue;
        const stage =
          approved === null && approvedStages.includes(asset.stage as Stage) ? 'approve' : asset.stage;
        await tx.query(
          `UPDATE gov_assets SET approved_revision = $2, stage = $3, row_version = row_version + 1, updated_at = now()
            WHERE id = $1`,
          [asset.id, approved, stage],
        );
        const missing = verdict.missing.map((item) => item.code);
        await inventory.history(tx, asset.id, projectId, 'reassess', asset.stage, stage, null, 'system', {
          assessment: assessment.id,
          riskVersion: assessment.version,
          tier: assessment.tier,
          approved: approved !== null,
          missing,
        });
        out.push({ assetId: asset.id, from: asset.stage, to: stage, approved: approved !== null, missing });
      }
      return out;
    });
    for (const entry of changed)
      this.deps.audit.record({
        action: 'governance.approval.reevaluate',
        projectId,
        target: { type: 'gov_asset', id: entry.assetId },
        detail: {
          useCaseId,
          assessment: assessment.id,
          riskVersion: assessment.version,
          tier: assessment.tier,
          approved: entry.approved,
          from: entry.from,
          to: entry.to,
          missing: entry.missing.join(','),
        },
      });
    this.deps.changed(projectId);
    return changed;
  }

  /**
   * The approval queue: assets in the approve stage still waiting for a decision — not approved,
   * and no standing no-go on their current revision (a no-go is final until a reversal supersedes
   * it, or the work comes back as a new revision). A high-tier asset with one go stays queued for
   * its second approver.
   */
  async queue(projectId: string, useCaseId?: string): Promise<AssetRow[]> {
    const assets = await this.deps.inventory.listAssets(projectId, {
      stage: 'approve',
      ...(useCaseId ? { use_case_id: useCaseId } : {}),
    });
    const open = assets.filter(
      (asset) => asset.approved_revision === null || asset.approved_revision !== asset.revision,
    );
    if (!open.length) return open;
    const { rows } = await this.deps.db.query<ApprovalRow>(
      'SELECT * FROM gov_approvals WHERE project_id = $1 AND asset_id = ANY($2::text[])',
      [projectId, open.map((asset) => asset.id)],
    );
    return open.filter(
      (asset) =>
        !standing(
          rows.filter((row) => row.asset_id === asset.id && Number(row.asset_revision) === asset.revision),
        ).some((row) => row.decision === 'no_go'),
    );
  }

  async list(projectId: string, query: ListApprovals): Promise<ApprovalJson[]> {
    const params: unknown[] = [projectId];
    let where = 'project_id = $1';
    if (query.asset_id) {
      params.push(query.asset_id);
      where += ` AND asset_id = $${params.length}`;
    }
    if (query.use_case_id) {
      params.push(query.use_case_id);
      where += ` AND use_case_id = $${params.length}`;
    }
    const { rows } = await this.deps.db.query<ApprovalRow>(
      `SELECT * FROM gov_approvals WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 1000`,
      params,
    );
    return rows.map(approvalJson);
  }

  async get(projectId: string, id: string): Promise<ApprovalJson> {
    const { rows } = await this.deps.db.query<ApprovalRow>(
      'SELECT * FROM gov_approvals WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    if (!rows[0]) throw notFound('approval', id);
    return approvalJson(rows[0]);
  }
}
