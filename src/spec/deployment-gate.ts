/**
 * @module spec/deployment-gate
 * The deployment gate port (v1): whether an asset may be served in a project. Governance implements
 * it (approvals, required evaluations); deployments call it when an asset is deployed to a
 * production space and again on every request to a production deployment, so a revoked approval
 * stops serving. Implementations answer from a cache (invalidated when an approval changes, on every
 * replica) — the call sits on the request path.
 */
import type { Issue } from '../core/errors.js';

/** What a deployment serves, as the gate sees it. */
export interface GatedAssetRef {
  type: 'prompt_template' | 'rag_collection';
  /** The template's or collection's id. */
  id: string;
  /** The template's or collection's name. */
  name: string;
  /** The template version, or the collection's configuration version. */
  version: number;
}

export type GateResult = { ok: true } | { ok: false; issues: Issue[] };

/**
 * Why the gate is asked when it is not serving a request: someone is putting the asset into a
 * production space. A refusal asked with a purpose is audited by the gate; one on the serving path
 * (no purpose) is not (it is a 403 per request).
 */
export interface GatePurpose {
  action:
    | 'deployment.create'
    | 'deployment.update'
    | 'deployment.rollback'
    | 'deployment.split'
    | 'space.promote';
  /** The deployment's id, or its name when it is being created. */
  deployment?: string | undefined;
  /** The space's id. */
  space?: string | undefined;
}

export interface DeploymentGateV1 {
  readonly specificationVersion: 'v1';
  check(projectId: string, asset: GatedAssetRef, purpose?: GatePurpose): Promise<GateResult> | GateResult;
}

/** The gate when no governance module provides one: every asset passes. */
export const openGate: DeploymentGateV1 = {
  specificationVersion: 'v1',
  check: () => ({ ok: true }),
};
