/**
 * @module governance/lifecycle/risk-reader
 * What the lifecycle reads of a use case's risk assessment (the risk service implements it):
 * the latest completed assessment, or null when none is completed.
 */

export type RiskTier = 'prohibited' | 'high' | 'limited' | 'minimal';

export interface RiskSummary {
  tier: RiskTier;
  koreaHighImpact: boolean;
  prohibited: boolean;
  completedAt: Date | string;
  version: number;
  scorecard: unknown;
}

export interface RiskReader {
  latest(projectId: string, useCaseId: string): Promise<RiskSummary | null>;
}

/** No assessments at all (until the risk service is wired): every use case is unassessed. */
export const noRiskAssessments: RiskReader = { latest: async () => null };
