/**
 * @module deployments
 * Deployment spaces (dev, staging, production …) and deployments: a pinned prompt template
 * version or RAG collection configuration served as an endpoint, with versions, rollback and
 * weighted traffic splits. Production spaces serve only what the deployment gate lets through,
 * checked on every request. Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { GenerationService } from '../models/index.js';
import type { PromptLab } from '../prompts/index.js';
import type { RagService } from '../rag/index.js';
import {
  type DeploymentGateV1,
  type GatedAssetRef,
  type GatePurpose,
  type GateResult,
  openGate,
} from '../spec/deployment-gate.js';
import { DeploymentService } from './serving/deployment-service.js';

export type { DeploymentGateV1, GatedAssetRef, GatePurpose, GateResult } from '../spec/deployment-gate.js';
export type { TrafficSplit } from './rollout/traffic-split.js';
export {
  type AssetRequest,
  type CreateDeploymentInput,
  currentVersion,
  DeploymentService,
  type InvokeResult,
  type InvokeStream,
  promptParametersOf,
  type Served,
} from './serving/deployment-service.js';
export type { Deployment, DeploymentAsset, DeploymentVersion } from './serving/deployment-store.js';
export { type Space, type SpaceStage, spaceStages } from './spaces/space-store.js';

/** The gate as the governance module serves it: assets by kind and reference (a template's name, a collection's id). */
export interface GovernanceGate {
  check(
    projectId: string,
    asset: { kind: string; ref: string; version?: number | null },
    purpose?: GatePurpose,
  ):
    | { allowed: boolean; missing: { code: string; message: string }[] }
    | Promise<{ allowed: boolean; missing: { code: string; message: string }[] }>;
}

/** Adapts governance's gate to the deployment gate port (synchronous when governance answers from its cache). */
export function governanceGate(gate: GovernanceGate): DeploymentGateV1 {
  const convert = (result: { allowed: boolean; missing: { code: string; message: string }[] }): GateResult =>
    result.allowed
      ? { ok: true }
      : {
          ok: false,
          issues: result.missing.map((missing) => ({
            code: missing.code,
            path: ['asset'],
            message: missing.message,
          })),
        };
  return {
    specificationVersion: 'v1',
    check(projectId: string, asset: GatedAssetRef, purpose?: GatePurpose) {
      const result = gate.check(
        projectId,
        {
          kind: asset.type,
          ref: asset.type === 'prompt_template' ? asset.name : asset.id,
          version: asset.version,
        },
        purpose,
      );
      return result instanceof Promise ? result.then(convert) : convert(result);
    },
  };
}

export interface DeploymentsDeps extends ModuleBase {
  audit: AuditLog;
  prompts: PromptLab;
  rag: RagService;
  generation: GenerationService;
  /** The governance module, when it is created before this one, provides the gate. */
  governance?: { gate?: GovernanceGate };
}

/** The deployments module: spaces, deployments, serving and rollout. */
export const deploymentsModule: KeelModule<DeploymentsDeps, { deployments: DeploymentService }> = {
  name: 'deployments',
  create: ({ db, audit, prompts, rag, generation, governance }) => ({
    deployments: new DeploymentService({
      db,
      audit,
      prompts,
      rag,
      generation,
      gate: governance?.gate ? governanceGate(governance.gate) : openGate,
    }),
  }),
};
export { deploymentJson, invokeJson, spaceJson, VERSION_HEADER } from './serving/deployment-json.js';
