/**
 * @module models/middleware/capabilities
 * Drops what the model cannot do, with a warning for each (tools on a model without tool
 * calling), so that adapters never see a setting they would have to refuse. Innermost.
 */
import type { LanguageModelCallOptions, LanguageModelV1 } from '../../spec/language-model.js';
import type { CallWarning } from '../../spec/warnings.js';
import type { LanguageModelMiddleware } from './model-middleware.js';

export function capabilitiesMiddleware(): LanguageModelMiddleware {
  return {
    name: 'capabilities',
    async wrapGenerate({ options, model, doGenerate }) {
      const prepared = prepare(model, options);
      if (!prepared) return doGenerate();
      const result = await doGenerate(prepared.options);
      return { ...result, warnings: [...prepared.warnings, ...result.warnings] };
    },
    async wrapStream({ options, model, doStream }) {
      const prepared = prepare(model, options);
      if (!prepared) return doStream();
      const result = await doStream(prepared.options);
      return { ...result, warnings: [...prepared.warnings, ...result.warnings] };
    },
  };
}

function prepare(
  model: LanguageModelV1,
  options: LanguageModelCallOptions,
): { options: LanguageModelCallOptions; warnings: CallWarning[] } | undefined {
  if (!options.tools?.length || model.capabilities.tools) return undefined;
  const { tools: _tools, toolChoice: _choice, ...rest } = options;
  return {
    options: rest,
    warnings: [
      {
        type: 'unsupported-setting',
        setting: 'tools',
        message: `${model.provider}:${model.modelId} does not support tool calling; tools were ignored.`,
      },
    ],
  };
}
