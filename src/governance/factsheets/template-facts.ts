/**
 * @module governance/factsheets/template-facts
 * What a factsheet shows of a tracked prompt template: the pinned version (or the latest) as the
 * prompts module stores it — its mode, model, generation parameters and guardrail policy.
 */
import type { PromptLab } from '../../prompts/index.js';
import type { TemplateDescriber } from './factsheet-facts.js';

export function templateDescriber(prompts: PromptLab): TemplateDescriber {
  return async (projectId, name, version) => {
    const located = await prompts.templates.locate(projectId, {
      name,
      selector: version === null ? { kind: 'latest' } : { kind: 'version', version },
    });
    const body = await prompts.templates.body(located.id, located.version);
    return {
      version: located.version,
      mode: body.mode,
      modelId: body.model_id ?? null,
      parameters: (body.parameters ?? {}) as Record<string, unknown>,
      guardrailPolicy: body.guardrail_policy ?? null,
    };
  };
}
