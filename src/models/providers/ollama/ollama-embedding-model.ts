/**
 * @module models/providers/ollama/ollama-embedding-model
 * `EmbeddingModelV1` over Ollama's `/api/embed` (a batch of inputs per call).
 */
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../../spec/embedding-model.js';
import type { CallWarning } from '../../../spec/warnings.js';
import { checkVectors, toFloat32 } from '../shared/embedding-vectors.js';
import { unsupportedSetting, vendorOptions } from '../shared/generation-parameters.js';
import type { OllamaHost } from './ollama-host.js';

export class OllamaEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1' as const;
  // Ollama sets no batch limit; this keeps one request's body and latency reasonable.
  readonly maxEmbeddingsPerCall = 512;
  #dimensions: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly host: OllamaHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  async dimensions(): Promise<number | undefined> {
    return this.#dimensions;
  }

  async doEmbed(options: EmbedOptions): Promise<EmbedResult> {
    const warnings: CallWarning[] = [];
    if (options.truncateInputTokens !== undefined) {
      warnings.push(
        unsupportedSetting('truncate_input_tokens', 'Ollama', 'it can only cut inputs to the context window'),
      );
    }
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 }, warnings };
    const body: Record<string, unknown> = { model: this.modelId, input: options.values };
    const vendor = vendorOptions(options.providerOptions, 'ollama', this.host.name);
    if (vendor) Object.assign(body, vendor);
    const response = await this.host.client.postJson<{ embeddings?: unknown[]; prompt_eval_count?: number }>(
      this.host.paths.embed,
      body,
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const embeddings = checkVectors(
      (response.embeddings ?? []).map(toFloat32),
      options.values.length,
      this.host.name,
    );
    this.#dimensions = embeddings[0]?.length;
    return { embeddings, usage: { inputTokens: response.prompt_eval_count ?? 0 }, warnings };
  }
}
