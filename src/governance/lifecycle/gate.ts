/**
 * @module governance/lifecycle/gate
 * The serving-time gate: may this asset be used in production? An asset nobody tracks is not
 * under governance and passes. A tracked one passes only when its current revision holds a valid
 * approval, it sits in approve, deploy or monitor, and its use case is not blocked. Answers are
 * cached in memory per project and dropped whenever governance changes anything in that project
 * (here, or on another replica: the change feed sees their audit records).
 */
import type { GateResultJson } from '../../api/governance.js';
import type { DatabaseSession } from '../../spec/database.js';
import type { Missing } from '../approvals/approval-policy.js';
import type { Stage } from './stages.js';

/** What the gate is asked about: an asset by kind and reference, optionally one version of it. */
export interface AssetRef {
  kind: string;
  ref: string;
  version?: number | null | undefined;
}

export interface GateResult extends GateResultJson {
  missing: Missing[];
}

interface GateRow {
  id: string;
  use_case_id: string;
  stage: Stage;
  ref_version: number | null;
  revision: number;
  approved_revision: number | null;
  use_case_status: string;
}

const PASSING: readonly Stage[] = ['approve', 'deploy', 'monitor'];
const UNTRACKED: GateResult = Object.freeze({
  tracked: false,
  allowed: true,
  asset_id: null,
  use_case_id: null,
  stage: null,
  missing: [],
}) as GateResult;

/** Parses `kind:ref` or `kind:ref@version` (the CLI's and the bench's short form). */
export function parseAssetRef(text: string): AssetRef {
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : 'prompt_template';
  const rest = colon > 0 ? text.slice(colon + 1) : text;
  const at = rest.lastIndexOf('@');
  if (at > 0 && /^\d+$/.test(rest.slice(at + 1)))
    return { kind, ref: rest.slice(0, at), version: Number(rest.slice(at + 1)) };
  return { kind, ref: rest };
}

export async function evaluateGate(
  session: DatabaseSession,
  projectId: string,
  asset: AssetRef,
): Promise<GateResult> {
  let { rows } = await session.query<GateRow>(
    `SELECT a.id, a.use_case_id, a.stage, a.ref_version, a.revision, a.approved_revision, u.status AS use_case_status
     FROM gov_assets a JOIN gov_use_cases u ON u.id = a.use_case_id
     WHERE a.project_id = $1 AND a.kind = $2 AND a.ref = $3`,
    [projectId, asset.kind, asset.ref],
  );
  if (!rows.length) return UNTRACKED;
  const all = rows;
  rows = rows.filter((row) => row.stage !== 'retire');
  if (!rows.length) {
    const retired = all[0]!;
    return {
      tracked: true,
      allowed: false,
      asset_id: retired.id,
      use_case_id: retired.use_case_id,
      stage: retired.stage,
      missing: [{ code: 'asset_retired', message: `asset ${retired.id} is retired` }],
    };
  }
  const row =
    asset.version == null
      ? rows.reduce((best, next) => ((next.ref_version ?? 0) > (best.ref_version ?? 0) ? next : best))
      : rows.find((candidate) => candidate.ref_version === null || candidate.ref_version === asset.version);
  if (!row) {
    return {
      tracked: true,
      allowed: false,
      asset_id: rows[0]!.id,
      use_case_id: rows[0]!.use_case_id,
      stage: rows[0]!.stage,
      missing: [
        {
          code: 'version_not_tracked',
          message: `${asset.ref} is governed, but version ${asset.version} is not the tracked version (${rows.map((r) => r.ref_version).join(', ')})`,
        },
      ],
    };
  }
  const missing: Missing[] = [];
  if (row.use_case_status === 'blocked')
    missing.push({ code: 'use_case_prohibited', message: 'the use case is blocked by its risk assessment' });
  if (row.approved_revision === null || row.approved_revision !== row.revision)
    missing.push({
      code: 'approval_missing',
      message: `asset ${row.id} (revision ${row.revision}) has no valid approval for use case ${row.use_case_id}`,
    });
  else if (!PASSING.includes(row.stage))
    missing.push({ code: 'stage_not_approved', message: `asset ${row.id} is in "${row.stage}"` });
  return {
    tracked: true,
    allowed: missing.length === 0,
    asset_id: row.id,
    use_case_id: row.use_case_id,
    stage: row.stage,
    missing,
  };
}

/** The cached gate: one map per project, dropped on any governance change in that project. */
export class GateCache {
  readonly #projects = new Map<string, Map<string, GateResult | Promise<GateResult>>>();
  #generation = 0;

  constructor(readonly read: (projectId: string, asset: AssetRef) => Promise<GateResult>) {}

  check(projectId: string, asset: AssetRef): GateResult | Promise<GateResult> {
    let project = this.#projects.get(projectId);
    if (!project) {
      project = new Map();
      this.#projects.set(projectId, project);
    }
    const key =
      asset.version == null
        ? `${asset.kind}\u0000${asset.ref}`
        : `${asset.kind}\u0000${asset.ref}\u0000${asset.version}`;
    const hit = project.get(key);
    if (hit) return hit;
    const generation = this.#generation;
    const map = project;
    const pending = this.read(projectId, asset).then(
      (result) => {
        // An invalidation while reading: do not keep what may be stale.
        if (generation === this.#generation && this.#projects.get(projectId) === map) map.set(key, result);
        else map.delete(key);
        return result;
      },
      (error) => {
        map.delete(key);
        throw error;
      },
    );
    project.set(key, pending);
    return pending;
  }

  invalidate(projectId?: string): void {
    this.#generation++;
    if (projectId === undefined) this.#projects.clear();
    else this.#projects.delete(projectId);
  }
}
