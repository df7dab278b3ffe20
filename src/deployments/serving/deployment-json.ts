/**
 * @module deployments/serving/deployment-json
 * Spaces, deployments and invocation results in Keel's wire shape (`api/deployments`).
 */
import type { DeploymentJson, InvokeResponse, SpaceJson } from '../../api/deployments.js';
import type { Space } from '../spaces/space-store.js';
import type { InvokeResult } from './deployment-service.js';
import type { Deployment } from './deployment-store.js';

export function spaceJson(space: Space): SpaceJson {
  return {
    id: space.id,
    name: space.name,
    description: space.description,
    stage: space.stage,
    tags: space.tags,
    created_by: space.createdBy,
    created_at: space.createdAt.toISOString(),
    updated_at: space.updatedAt.toISOString(),
  };
}

export function deploymentJson(
  deployment: Deployment,
  space: Pick<Space, 'id' | 'name' | 'stage'>,
): DeploymentJson {
  return {
    id: deployment.id,
    name: deployment.name,
    serving_name: deployment.servingName,
    description: deployment.description,
    tags: deployment.tags,
    space: { id: space.id, name: space.name, stage: space.stage },
    current_version: deployment.currentVersion,
    split: deployment.split,
    versions: deployment.versions.map((version) => ({
      version: version.version,
      asset: version.asset,
      model: version.model,
      parameters: version.parameters,
      guardrail_policy: version.guardrailPolicy,
      created_by: version.createdBy,
      created_at: version.createdAt.toISOString(),
    })),
    created_by: deployment.createdBy,
    created_at: deployment.createdAt.toISOString(),
    updated_at: deployment.updatedAt.toISOString(),
  };
}

export function invokeJson(result: InvokeResult): InvokeResponse {
  const { deployment, version } = result.served;
  const common = {
    deployment: { id: deployment.id, name: deployment.name },
    version: version.version,
    asset: version.asset,
  };
  if (result.kind === 'prompt_template') {
    return {
      ...common,
      output: result.run.output,
      usage: result.run.usage,
      run: result.run,
    };
  }
  return { ...common, output: result.answer.answer, usage: result.answer.usage, answer: result.answer };
}

/** The response header naming the version that served (rollouts and splits). */
export const VERSION_HEADER = 'x-keel-deployment-version';
