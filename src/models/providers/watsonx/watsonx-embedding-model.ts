/**
 * @module models/providers/watsonx/watsonx-embedding-model
 * `EmbeddingModelV1` over watsonx.ai's `/ml/v1/text/embeddings`, which truncates natively.
 */
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../../spec/embedding-model.js';
import { checkVectors, toFloat32 } from '../shared/embedding-vectors.js';
import { vendorOptions } from '../shared/generation-parameters.js';
import type { WatsonxHost } from './watsonx-host.js';

export class WatsonxEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1' as const;
  // watsonx.ai accepts at most 1000 inputs per embeddings request.
  readonly maxEmbeddingsPerCall = 1000;
  #dimensions: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly host: WatsonxHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  async dimensions(): Promise<number | undefined> {
    return this.#dimensions;
  }

  async doEmbed(options: EmbedOptions): Promise<EmbedResult> {
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 }, warnings: [] };
    const parameters: Record<string, unknown> = {
      ...(options.truncateInputTokens !== undefined
        ? { truncate_input_tokens: options.truncateInputTokens }
        : {}),
      ...vendorOptions(options.providerOptions, 'watsonx', this.host.name),
    };
    const response = await this.host.client.postJson<{
      results?: { embedding?: number[] }[];
      input_token_count?: number;
    }>(
      this.host.paths.embeddings,
      {
        inputs: options.values,
        model_id: this.modelId,
        ...this.host.scope(),
        ...(Object.keys(parameters).length ? { parameters } : {}),
      },
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const embeddings = checkVectors(
      (response.results ?? []).map((result) => toFloat32(result.embedding)),
      options.values.length,
      this.host.name,
    );
    this.#dimensions = embeddings[0]?.length;
    return { embeddings, usage: { inputTokens: response.input_token_count ?? 0 }, warnings: [] };
  }
}
