/**
 * @module deployments/serving/deployment-types
 * The shapes the deployment service takes and returns (apart from the service, so the helpers it
 * uses can name them without importing it).
 */
import type { PromptRun, RunEvent } from '../../api/prompts.js';
import type { AskResponse } from '../../api/rag.js';
import type { AuditRecorder } from '../../audit/index.js';
import type { GenerationService } from '../../models/index.js';
import type { PromptLab } from '../../prompts/index.js';
import type { AskEvent, RagService } from '../../rag/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { DeploymentGateV1 } from '../../spec/deployment-gate.js';
import type { Space } from '../spaces/space-store.js';
import type { Deployment, DeploymentVersion } from './deployment-store.js';

export interface DeploymentServiceDependencies {
  db: DatabaseV1;
  audit: AuditRecorder;
  prompts: PromptLab;
  rag: RagService;
  generation: GenerationService;
  gate: DeploymentGateV1;
}

/** What a deployment version is asked to serve, as callers name it. */
export interface AssetRequest {
  type: 'prompt_template' | 'rag_collection';
  /** A template reference (name, name@3, name@label), or a collection id or name (name@2: that configuration version). */
  ref: string;
}

export interface CreateDeploymentInput {
  /** The space's id or name; none: the project's `default` space (made on first use). */
  space?: string | undefined;
  name: string;
  servingName?: string | null | undefined;
  description?: string | undefined;
  tags?: string[] | undefined;
  asset: AssetRequest;
  model?: string | null | undefined;
  parameters?: Record<string, unknown> | undefined;
  guardrailPolicy?: string | null | undefined;
}

export interface InvokeInput {
  variables?: Record<string, unknown> | undefined;
  /** Generation parameters over the version's (Prompt Lab's names). */
  parameters?: Record<string, unknown> | undefined;
  /** Decides the version under a `request_id` split. */
  requestId: string;
  endpoint: string;
  /** Already resolved for this request (chat requests read the variables first). */
  served?: Served | undefined;
}

/** The version that serves one request. */
export interface Served {
  deployment: Deployment;
  space: Space;
  version: DeploymentVersion;
}

export type InvokeResult =
  | { served: Served; kind: 'prompt_template'; run: PromptRun }
  | { served: Served; kind: 'rag_collection'; answer: AskResponse };

export type InvokeStream =
  | { served: Served; kind: 'prompt_template'; events: AsyncGenerator<RunEvent> }
  | { served: Served; kind: 'rag_collection'; events: AsyncGenerator<AskEvent> };
