/**
 * @module models/middleware/wrap-model
 * Applies a middleware list to a model. The first middleware is the outermost: it sees the call
 * first and the result last. The wrapped model keeps the inner model's identity and capabilities.
 *
 * @example
 * const model = wrapLanguageModel(provider.languageModel('granite'), [tracing, guardrails, metering]);
 */
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../spec/embedding-model.js';
import type {
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelV1,
  StreamResult,
  TokenizeResult,
} from '../../spec/language-model.js';
import type { EmbeddingModelMiddleware, LanguageModelMiddleware } from './model-middleware.js';

export function wrapLanguageModel(
  model: LanguageModelV1,
  middleware: readonly LanguageModelMiddleware[],
): LanguageModelV1 {
  if (!middleware.length) return model;
  const generateAt = (index: number, options: LanguageModelCallOptions): Promise<GenerateResult> => {
    for (let i = index; i < middleware.length; i++) {
      const hook = middleware[i]!.wrapGenerate;
      if (hook)
        return hook.call(middleware[i], {
          options,
          model,
          doGenerate: (next = options) => generateAt(i + 1, next),
          doStream: (next = options) => streamAt(i + 1, next),
        });
    }
    return model.doGenerate(options);
  };
  const streamAt = (index: number, options: LanguageModelCallOptions): Promise<StreamResult> => {
    for (let i = index; i < middleware.length; i++) {
      const hook = middleware[i]!.wrapStream;
      if (hook)
        return hook.call(middleware[i], {
          options,
          model,
          doStream: (next = options) => streamAt(i + 1, next),
        });
    }
    return model.doStream(options);
  };
  const tokenizeAt = (
    index: number,
    text: string,
    options: { abortSignal?: AbortSignal },
  ): Promise<TokenizeResult> => {
    for (let i = index; i < middleware.length; i++) {
      const hook = middleware[i]!.wrapTokenize;
      if (hook)
        return hook.call(middleware[i], {
          text,
          options,
          model,
          doTokenize: (next = text) => tokenizeAt(i + 1, next, options),
        });
    }
    return model.tokenize(text, options);
  };
  return {
    specificationVersion: 'v1',
    provider: model.provider,
    modelId: model.modelId,
    capabilities: model.capabilities,
    contextLength: () => model.contextLength(),
    doGenerate: (options) => generateAt(0, options),
    doStream: (options) => streamAt(0, options),
    tokenize: (text, options = {}) => tokenizeAt(0, text, options),
  };
}

export function wrapEmbeddingModel(
  model: EmbeddingModelV1,
  middleware: readonly EmbeddingModelMiddleware[],
): EmbeddingModelV1 {
  if (!middleware.length) return model;
  const embedAt = (index: number, options: EmbedOptions): Promise<EmbedResult> => {
    for (let i = index; i < middleware.length; i++) {
      const hook = middleware[i]!.wrapEmbed;
      if (hook)
        return hook.call(middleware[i], {
          options,
          model,
          doEmbed: (next = options) => embedAt(i + 1, next),
        });
    }
    return model.doEmbed(options);
  };
  return {
    specificationVersion: 'v1',
    provider: model.provider,
    modelId: model.modelId,
    maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
    dimensions: () => model.dimensions(),
    doEmbed: (options) => embedAt(0, options),
  };
}
