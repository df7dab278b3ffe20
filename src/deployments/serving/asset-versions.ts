/**
 * @module deployments/serving/asset-versions
 * What a deployment version pins, from what a request names: a template reference resolved to its
 * id and version (it must bind a model, or the deployment names one), or a collection with its
 * configuration version (the current one, or `name@N`); the model is checked to exist.
 */
import { KeelError } from '../../core/errors.js';
import type { DeploymentAsset, VersionInput } from './deployment-store.js';
import type { CreateDeploymentInput, DeploymentServiceDependencies } from './deployment-types.js';
import { resolvePinnedCollection } from './pinned-collection.js';
import { promptParametersOf } from './serving-inputs.js';

/**
 * A template reference as the prompts module reads it: watsonx clients name a prompt asset by its
 * id (`pt_…`, optionally `@version`), Keel's by name; an id is turned into the template's name.
 */
async function templateRef(
  prompts: DeploymentServiceDependencies['prompts'],
  projectId: string,
  ref: string,
): Promise<string> {
  const match = /^(pt_[A-Za-z0-9_-]+)(@.+)?$/.exec(ref);
  if (!match) return ref;
  const name = await prompts.templates.nameById(projectId, match[1]!);
  return name ? `${name}${match[2] ?? ''}` : ref;
}

/** The version a create or update pins (a missing template or collection is a 404). */
export async function resolveVersionInput(
  deps: Pick<DeploymentServiceDependencies, 'prompts' | 'rag' | 'generation'>,
  projectId: string,
  input: Pick<CreateDeploymentInput, 'asset' | 'model' | 'parameters' | 'guardrailPolicy'>,
): Promise<VersionInput> {
  let asset: DeploymentAsset;
  if (input.asset.type === 'prompt_template') {
    const source = await deps.prompts.source(projectId, {
      prompt: await templateRef(deps.prompts, projectId, input.asset.ref),
    });
    const template = source.template!;
    asset = { type: 'prompt_template', id: template.id, name: template.name, version: template.version };
    if (!input.model && !source.compiled.body.model_id) {
      throw new KeelError(
        'invalid_request',
        'The template binds no model: name one with `model` (provider:model).',
        {
          issues: [
            {
              code: 'missing_model',
              path: ['model'],
              message: 'required when the template has no model_id',
            },
          ],
        },
      );
    }
  } else {
    asset = {
      type: 'rag_collection',
      ...(await resolvePinnedCollection(deps.rag, projectId, input.asset.ref)),
    };
  }
  if (input.model) deps.generation.languageModel(input.model);
  return {
    asset,
    model: input.model ?? null,
    parameters: promptParametersOf(input.parameters),
    guardrailPolicy: input.guardrailPolicy ?? null,
  };
}
