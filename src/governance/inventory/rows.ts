/**
 * @module governance/inventory/rows
 * Stored rows of the inventory and their wire form.
 */
import type { ApproachJson, AssetJson, AssetKind, UseCaseJson } from '../../api/governance.js';
import type { Role } from '../../platform/index.js';
import { nextStages, phaseOf, type Stage } from '../lifecycle/stages.js';

/** Who acts: the project they act in, their id (user, or key for API keys) and role there. */
export interface GovCaller {
  projectId: string;
  actor: string;
  role: Role;
}

export interface UseCaseRow {
  id: string;
  project_id: string;
  name: string;
  purpose: string;
  business_owner: string | null;
  status: 'active' | 'blocked' | 'retired';
  tags: string[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ApproachRow {
  id: string;
  project_id: string;
  use_case_id: string;
  version: number;
  name: string;
  description: string;
  thresholds: Record<string, { min?: number; max?: number }>;
  created_by: string | null;
  created_at: Date;
}

export interface AssetRow {
  id: string;
  project_id: string;
  use_case_id: string;
  approach_id: string;
  approach_version: number;
  kind: AssetKind;
  ref: string;
  ref_version: number | null;
  source_type: string | null;
  source_id: string | null;
  name: string;
  stage: Stage;
  row_version: number;
  revision: number;
  approved_revision: number | null;
  metadata: Record<string, unknown>;
  results: { metrics: Record<string, number> } | null;
  validation_report: {
    summary: string;
    findings: string[];
    passed: boolean;
    revision?: number;
    by?: string;
  } | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const ASSET_COLUMNS =
  'a.id, a.project_id, a.use_case_id, a.approach_id, p.version AS approach_version, a.kind, a.ref, a.ref_version, a.source_type, a.source_id, a.name, a.stage, a.row_version, a.revision, a.approved_revision, a.metadata, a.results, a.validation_report, a.created_by, a.created_at, a.updated_at';

const iso = (value: Date | string) => new Date(value).toISOString();

export function approachJson(row: ApproachRow): ApproachJson {
  return {
    id: row.id,
    use_case_id: row.use_case_id,
    version: row.version,
    name: row.name,
    description: row.description,
    thresholds: row.thresholds,
    created_by: row.created_by,
    created_at: iso(row.created_at),
  };
}

export function toUseCaseJson(
  row: UseCaseRow,
  approaches: ApproachRow[],
  risk: { tier: UseCaseJson['risk_tier']; koreaHighImpact: boolean } | null,
): UseCaseJson {
  return {
    id: row.id,
    project_id: row.project_id,
    name: row.name,
    purpose: row.purpose,
    business_owner: row.business_owner,
    status: row.status,
    risk_tier: risk?.tier ?? null,
    korea_high_impact: risk ? risk.koreaHighImpact : null,
    tags: row.tags,
    approaches: approaches.map(approachJson),
    created_by: row.created_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function assetJson(row: AssetRow): AssetJson {
  return {
    id: row.id,
    project_id: row.project_id,
    use_case_id: row.use_case_id,
    approach_id: row.approach_id,
    approach_version: row.approach_version,
    kind: row.kind,
    ref: row.ref,
    version: row.ref_version,
    name: row.name,
    stage: row.stage,
    phase: phaseOf(row.stage),
    next_stages: [...nextStages[row.stage]],
    row_version: row.row_version,
    revision: row.revision,
    approved: row.approved_revision !== null && row.approved_revision === row.revision,
    metadata: row.metadata,
    results: row.results,
    validation_report: row.validation_report,
    created_by: row.created_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}
