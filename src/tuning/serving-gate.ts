/**
 * @module tuning/serving-gate
 * The serving gate of tuned assets (heads, adapters) answering as models: a version registered in
 * governance serves only once approved there; inside a deployment (production) it must also be
 * registered, so an ungoverned one is refused too. Both refusals are `asset_not_approved` (403);
 * `issues[].code` says why (`approval_missing`, `not_governed`, …).
 */
import { KeelError } from '../core/errors.js';

/** What the gate asks of governance (`HeadGovernance.check`). */
export interface ServingGovernance {
  check(
    projectId: string,
    ref: string,
    version: number,
  ): Promise<{ allowed: boolean; tracked?: boolean; missing: { code: string; message: string }[] }>;
}

export interface ServingCheck {
  projectId: string;
  /** The governance asset's ref: the model id (`head:<name>`, `llamacpp:<base>+<adapter>`). */
  ref: string;
  version: number;
  /** The deployment the call serves, or null for a plain call. */
  deploymentId: string | null;
  /** Where in a request the asset was named (`head`, `model`), for `issues[].path`. */
  path: string;
  /** Facts for `data` (the asset's name and version …). */
  data: Record<string, unknown>;
}

export async function checkServingGate(
  governance: ServingGovernance | undefined,
  check: ServingCheck,
): Promise<void> {
  if (!governance) return;
  const gate = await governance.check(check.projectId, check.ref, check.version);
  const missing =
    gate.allowed && check.deploymentId !== null && gate.tracked === false
      ? [
          {
            code: 'not_governed',
            message: `deployment ${check.deploymentId} serves ${check.ref}, which no governance use case tracks; register and approve it first`,
          },
        ]
      : gate.allowed
        ? []
        : gate.missing;
  if (missing.length === 0) return;
  throw new KeelError(
    'asset_not_approved',
    `${check.ref} version ${check.version} is not approved for production.`,
    {
      issues: missing.map((m) => ({ code: m.code, path: [check.path], message: m.message })),
      data: { ...check.data, ...(check.deploymentId ? { deployment: check.deploymentId } : {}) },
    },
  );
}
