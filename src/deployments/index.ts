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
import { type DeploymentGateV1, openGate } from '../spec/deployment-gate.js';
import { DeploymentService } from './serving/deployment-service.js';

export type { DeploymentGateV1, GatedAssetRef, GateResult } from '../spec/deployment-gate.js';
export { DeploymentService, type InvokeResult } from './serving/deployment-service.js';
export type { Deployment, DeploymentVersion } from './serving/deployment-store.js';
export type { Space } from './spaces/space-store.js';

export interface DeploymentsDeps extends ModuleBase {
  audit: AuditLog;
  prompts: PromptLab;
  rag: RagService;
  generation: GenerationService;
  /** The governance module, when present, provides the gate. */
  governance?: { gate?: DeploymentGateV1 };
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
      gate: governance?.gate ?? openGate,
    }),
  }),
};
