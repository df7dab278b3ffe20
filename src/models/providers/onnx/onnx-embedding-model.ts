/**
 * @module models/providers/onnx/onnx-embedding-model
 * One local ONNX encoder export (a BERT-like `feature-extraction` model) as an embedding model:
 * run with @huggingface/transformers from local files only, mean-pooled over the attention mask
 * and L2-normalised, in batches. The pipeline is loaded on first use and kept until `close()`.
 */
import { KeelError } from '../../../core/errors.js';
import type { Pipeline } from '../../../guardrails/index.js';
import type { EmbeddingModelV1, EmbedOptions, EmbedResult } from '../../../spec/embedding-model.js';
import type { CallWarning } from '../../../spec/warnings.js';

export interface OnnxEmbeddingModelOptions {
  provider: string;
  modelId: string;
  /** The export's folder: config.json, tokenizer.json, onnx/model.onnx. */
  directory: string;
  /** `hidden_size` from config.json, when it says. */
  dimensions?: number;
  /** Shared loads: one pipeline per folder for the provider's lifetime. */
  load: (directory: string) => Promise<Pipeline>;
}

interface FeatureTensor {
  dims: number[];
  data: Float32Array;
}

interface Tokenizing {
  tokenizer?: (
    texts: string[],
    options: Record<string, unknown>,
  ) => { attention_mask: { data: ArrayLike<bigint | number> } };
}

/** Texts per pipeline call: padding makes a batch as long as its longest text. */
const BATCH = 32;

export class OnnxEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider: string;
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = 256;
  readonly #options: OnnxEmbeddingModelOptions;

  constructor(options: OnnxEmbeddingModelOptions) {
    this.provider = options.provider;
    this.modelId = options.modelId;
    this.#options = options;
  }

  async dimensions(): Promise<number | undefined> {
    return this.#options.dimensions;
  }

  async doEmbed(options: EmbedOptions): Promise<EmbedResult> {
    const warnings: CallWarning[] = [];
    if (options.providerOptions && Object.keys(options.providerOptions).length > 0) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'providerOptions',
        message: 'The ONNX embedder has no provider options.',
      });
    }
    if (options.truncateInputTokens !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'truncate_input_tokens',
        message: "The ONNX embedder truncates at the tokenizer's model_max_length.",
      });
    }
    checkAborted(options.abortSignal);
    const embeddings: Float32Array[] = [];
    if (options.values.length === 0) return { embeddings, usage: { inputTokens: 0 }, warnings };
    const run = await this.#options.load(this.#options.directory);
    let inputTokens = 0;
    for (let start = 0; start < options.values.length; start += BATCH) {
      checkAborted(options.abortSignal);
      const batch = options.values.slice(start, start + BATCH);
      let output: FeatureTensor;
      try {
        output = (await run(batch, { pooling: 'mean', normalize: true })) as FeatureTensor;
      } catch (error) {
        throw new KeelError(
          'invalid_config',
          `The ONNX model ${this.provider}:${this.modelId} loaded but could not run: ${(error as Error).message}`,
          {
            cause: error,
            data: { hint: 'Use a feature-extraction export whose output is last_hidden_state.' },
          },
        );
      }
      const width = output.dims.at(-1) ?? 0;
      for (let row = 0; row < batch.length; row++) {
        embeddings.push(output.data.slice(row * width, (row + 1) * width));
      }
      inputTokens += countTokens(run as Pipeline & Tokenizing, batch);
    }
    return { embeddings, usage: { inputTokens }, warnings };
  }
}

/** An aborted call ends as its reason when that is a KeelError (a time limit), else `client_closed`. */
function checkAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof KeelError
    ? signal.reason
    : new KeelError('client_closed', 'The request was cancelled.', { cause: signal.reason });
}

/** Tokens the batch was embedded from (the attention mask's ones), 0 when the tokenizer is hidden. */
function countTokens(run: Pipeline & Tokenizing, batch: string[]): number {
  if (!run.tokenizer) return 0;
  const mask = run.tokenizer(batch, { padding: true, truncation: true }).attention_mask.data;
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += Number(mask[i]);
  return count;
}
