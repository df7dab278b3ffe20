/**
 * @module models/middleware/embedding-batches
 * Splits an embedding call bigger than the provider takes (`maxEmbeddingsPerCall`) into batches,
 * in order, and joins the results: one call for the middleware above it, one usage event.
 */
import type { CallWarning } from '../../spec/warnings.js';
import type { EmbeddingModelMiddleware } from './model-middleware.js';

export function embeddingBatchesMiddleware(): EmbeddingModelMiddleware {
  return {
    name: 'embedding-batches',
    async wrapEmbed({ options, model, doEmbed }) {
      const size = model.maxEmbeddingsPerCall;
      if (options.values.length <= size) return doEmbed();
      const embeddings: Float32Array[] = [];
      const warnings: CallWarning[] = [];
      let inputTokens = 0;
      for (let start = 0; start < options.values.length; start += size) {
        const result = await doEmbed({ ...options, values: options.values.slice(start, start + size) });
        embeddings.push(...result.embeddings);
        inputTokens += result.usage.inputTokens;
        for (const warning of result.warnings)
          if (!warnings.some((known) => known.message === warning.message)) warnings.push(warning);
      }
      return { embeddings, usage: { inputTokens }, warnings };
    },
  };
}
