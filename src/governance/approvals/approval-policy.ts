/**
 * @module governance/approvals/approval-policy
 * Whether the decisions on one revision of an asset make a valid approval: no standing no-go, and
 * enough distinct approvers holding the validator or admin role (two for a high-tier use case,
 * one otherwise). A prohibited use case is never approved. A decision that a later one supersedes
 * no longer stands.
 */
import type { RiskTier } from '../lifecycle/risk-reader.js';

export interface Decision {
  id: string;
  decision: 'go' | 'no_go';
  approver: string;
  approver_role: string;
  supersedes: string | null;
}

export interface Missing {
  code: string;
  message: string;
}

export const APPROVER_ROLES: readonly string[] = ['validator', 'admin'];

export function approversNeeded(tier: RiskTier | null): number {
  return tier === 'high' ? 2 : 1;
}

/** The decisions still standing (not superseded by a later one). */
export function standing<D extends Decision>(decisions: readonly D[]): D[] {
  const superseded = new Set(decisions.map((decision) => decision.supersedes).filter(Boolean));
  return decisions.filter((decision) => !superseded.has(decision.id));
}

export function evaluateApproval(
  decisions: readonly Decision[],
  tier: RiskTier | null,
): { approved: boolean; missing: Missing[] } {
  const missing: Missing[] = [];
  if (tier === 'prohibited') {
    missing.push({
      code: 'use_case_prohibited',
      message: 'the risk assessment marks this use as prohibited',
    });
    return { approved: false, missing };
  }
  const current = standing(decisions);
  const noGo = current.filter((decision) => decision.decision === 'no_go');
  if (noGo.length) {
    missing.push({
      code: 'approval_no_go',
      message: `${noGo.length} standing no-go decision${noGo.length > 1 ? 's' : ''} (a reversal is a new decision that supersedes it)`,
    });
  }
  const approvers = new Set(
    current
      .filter((decision) => decision.decision === 'go' && APPROVER_ROLES.includes(decision.approver_role))
      .map((decision) => decision.approver),
  );
  const needed = approversNeeded(tier);
  if (approvers.size < needed) {
    missing.push({
      code: approvers.size === 0 ? 'approval_missing' : 'second_approver_missing',
      message:
        needed === 2
          ? `a high-tier use case needs go decisions from 2 distinct validators or admins; ${approvers.size} so far`
          : 'a go decision from a validator or admin is needed',
    });
  }
  return { approved: missing.length === 0, missing };
}
