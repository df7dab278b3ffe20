/**
 * @module models/providers/hashing/hashing-provider
 * The `hashing` provider: offers the built-in lexical embedder as `hashing:ngram-v1` (512
 * dimensions) or `hashing:ngram-v1-<dimensions>` (e.g. `hashing:ngram-v1-384`), so the registry
 * lists it beside llama.cpp and remote providers. It has no language or rerank models.
 *
 * @example
 * const registry = new ProviderRegistry([createHashingProvider()]);
 * const model = registry.embeddingModel('hashing:ngram-v1');
 */
import { KeelError } from '../../../core/errors.js';
import type { EmbeddingModelV1 } from '../../../spec/embedding-model.js';
import type { LanguageModelV1 } from '../../../spec/language-model.js';
import type { ModelInfo, ProviderV1 } from '../../../spec/provider.js';
import type { RerankModelV1 } from '../../../spec/rerank-model.js';
import { defaultHashingDimensions, HashingEmbeddingModel } from './hashing-embedding-model.js';

export interface HashingProviderOptions {
  /** Provider name (default `hashing`). */
  name?: string;
}

const modelPattern = /^ngram-v1(?:-(\d+))?$/;

export function createHashingProvider(options: HashingProviderOptions = {}): ProviderV1 {
  const name = options.name ?? 'hashing';
  const notFound = (modelId: string) =>
    new KeelError(
      'model_not_found',
      `Model ${name}:${modelId} not found. The hashing provider offers ${name}:ngram-v1 and ${name}:ngram-v1-<dimensions>.`,
      {
        data: { provider: name, modelId },
      },
    );
  return {
    specificationVersion: 'v1',
    name,
    type: 'hashing',
    languageModel(modelId: string): LanguageModelV1 {
      throw new KeelError(
        'model_not_found',
        `Model ${name}:${modelId} not found: the hashing provider only embeds.`,
      );
    },
    embeddingModel(modelId: string): EmbeddingModelV1 {
      const match = modelPattern.exec(modelId);
      if (!match) throw notFound(modelId);
      const dimensions = match[1] ? Number(match[1]) : defaultHashingDimensions;
      if (dimensions < 8 || dimensions > 65_536) throw notFound(modelId);
      return new HashingEmbeddingModel({ dimensions, provider: name, modelId });
    },
    rerankModel(): RerankModelV1 {
      throw new KeelError('not_implemented', 'The hashing provider has no rerank model.');
    },
    async listModels(): Promise<ModelInfo[]> {
      return [
        {
          id: `${name}:ngram-v1`,
          provider: name,
          modelId: 'ngram-v1',
          kinds: ['embedding'],
          tasks: ['embed'],
          details: {
            dimensions: defaultHashingDimensions,
            semantic: false,
            description:
              'Built-in lexical embedder: word and character n-grams, signed feature hashing. Matches shared words, not meaning.',
            variants: `${name}:ngram-v1-<dimensions> (8–65536)`,
          },
        },
      ];
    },
    async status() {
      return { reachable: true, latencyMs: 0 };
    },
    async close() {},
  };
}
