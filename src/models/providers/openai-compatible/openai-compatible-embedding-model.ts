/**
 * @module models/providers/openai-compatible/openai-compatible-embedding-model
 * `EmbeddingModelV1` over `/v1/embeddings`. Asks for `encoding_format: "float"`: every
 * OpenAI-compatible server understands it, while base64 support varies (answers in base64 are
 * decoded all the same).
 */
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../../spec/embedding-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import { checkVectors, toFloat32 } from '../shared/embedding-vectors.js';
import { unsupportedSetting, vendorOptions } from '../shared/generation-parameters.js';
import type { OpenAICompatibleHost } from './openai-compatible-host.js';

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: number[] | string }[];
  usage?: { prompt_tokens?: number; total_tokens?: number };
}

export class OpenAICompatibleEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly maxEmbeddingsPerCall: number;
  #dimensions: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly host: OpenAICompatibleHost,
  ) {
    this.maxEmbeddingsPerCall = host.spec.maxEmbeddingsPerCall;
  }

  get provider(): string {
    return this.host.name;
  }

  /** Known once the model has embedded something: `/v1/models` does not say. */
  async dimensions(): Promise<number | undefined> {
    return this.#dimensions;
  }

  async doEmbed(options: EmbedOptions): Promise<EmbedResult> {
    const warnings: CallWarning[] = [];
    const body: Record<string, unknown> = {
      model: this.modelId,
      input: options.values,
      encoding_format: 'float',
    };
    if (options.truncateInputTokens !== undefined) {
      if (this.host.spec.embeddingTruncation) body.truncate_prompt_tokens = options.truncateInputTokens;
      else warnings.push(unsupportedSetting('truncate_input_tokens', this.host.spec.label, 'on embeddings'));
    }
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 }, warnings };
    const vendor = vendorOptions(options.providerOptions, 'openai-compatible', this.host.name);
    if (vendor) Object.assign(body, vendor);
    const response = await this.host.client.postJson<EmbeddingsResponse>(
      this.host.paths.embeddings(this.modelId),
      body,
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const data = response.data ?? [];
    const ordered = new Array<Float32Array | undefined>(data.length);
    data.forEach((item, position) => {
      ordered[item.index ?? position] = toFloat32(item.embedding);
    });
    const embeddings = checkVectors(ordered, options.values.length, this.host.name);
    this.#dimensions = embeddings[0]?.length;
    return {
      embeddings,
      usage: { inputTokens: response.usage?.prompt_tokens ?? response.usage?.total_tokens ?? 0 },
      warnings,
    };
  }
}
