/**
 * @module models/providers/llamacpp/llamacpp-embedding-model
 * `EmbeddingModelV1` over a local GGUF file: encoder embedders (bge-m3, Granite Embedding) and
 * decoder models alike, one vector per input, L2-normalised (as llama.cpp's server and the OpenAI
 * API return them, so dot product and cosine agree).
 */
import { KeelError } from '../../../core/errors.js';
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../../spec/embedding-model.js';
import type { LlamaCppHost } from './llamacpp-host.js';

export class LlamaCppEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1' as const;
  /** Inputs are embedded one after another on one context; batches only bound a call's length. */
  readonly maxEmbeddingsPerCall = 64;

  constructor(
    readonly modelId: string,
    private readonly host: LlamaCppHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  async dimensions(): Promise<number | undefined> {
    return (await this.host.header(this.modelId).catch(() => undefined))?.embeddingLength;
  }

  async doEmbed(options: EmbedOptions): Promise<EmbedResult> {
    const warnings: EmbedResult['warnings'] = [];
    for (const key of Object.keys(options.providerOptions?.llamacpp ?? {})) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.llamacpp.${key}`,
        message: `llamacpp embeddings have no option "${key}"; it was ignored.`,
      });
    }
    const lease = await this.host.runtime.acquire(this.modelId, this.host.fileFor(this.modelId));
    try {
      const context = await lease.model.embeddingContext();
      const model = lease.model.model;
      const embeddings: Float32Array[] = [];
      let inputTokens = 0;
      for (const [index, value] of options.values.entries()) {
        if (options.abortSignal?.aborted) throw new KeelError('client_closed', 'The request was cancelled.');
        let tokens = model.tokenize(value, false);
        if (tokens.length === 0) {
          throw new KeelError('invalid_request', `Input ${index} is empty; there is nothing to embed.`, {
            issues: [{ code: 'too_small', path: ['input', index], message: 'must not be empty' }],
          });
        }
        if (options.truncateInputTokens !== undefined) tokens = tokens.slice(0, options.truncateInputTokens);
        // BOS/EOS markers the model wants are added by the context and count against its window.
        const length = context.calculateInputLength([...tokens]); // it adds the markers in place
        if (length >= lease.model.contextSize) {
          throw new KeelError(
            'context_length_exceeded',
            `Input ${index} is ${length} tokens; ${this.host.name}:${this.modelId} embeds at most ${lease.model.contextSize - 1}.`,
            { data: { hint: 'Split the text into smaller chunks, or set truncate_input_tokens.' } },
          );
        }
        const { vector } = await context.getEmbeddingFor(tokens);
        embeddings.push(normalise(vector));
        inputTokens += length;
      }
      return { embeddings, usage: { inputTokens }, warnings };
    } finally {
      lease.release();
    }
  }
}

function normalise(vector: readonly number[]): Float32Array {
  const result = Float32Array.from(vector);
  let sum = 0;
  for (const value of result) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < result.length; i++) result[i] = result[i]! / norm;
  return result;
}
