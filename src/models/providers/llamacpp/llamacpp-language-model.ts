/**
 * @module models/providers/llamacpp/llamacpp-language-model
 * `LanguageModelV1` over a local GGUF file. `doStream` does everything that can fail up front —
 * loading the model, rendering and tokenizing the prompt, checking it fits, compiling a JSON
 * grammar — so those errors throw (and HTTP can answer with a status); the generation itself
 * then streams. `doGenerate` is the same stream, collected. A `<base>+<adapter>` id runs on the
 * base model's file with the adapter's weights applied (its own context, see loaded-model).
 */
import type { LlamaGrammar, Token } from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import { TimeSlicer } from '../../../core/time-slice.js';
import { splitAdapterModelId } from '../../../spec/adapter-source.js';
import type {
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelV1,
  StreamResult,
  TokenizeResult,
} from '../../../spec/language-model.js';
import { resolveGenerationSettings } from './generation-settings.js';
import { canBiasEndTokens, type GenerationPlan, generationStream } from './generation-stream.js';
import type { LlamaCppHost } from './llamacpp-host.js';
import { plainText, renderPrompt } from './prompt-tokens.js';
import { tokenizeSliced, tokenStrings } from './sliced-tokenize.js';

export class LlamaCppLanguageModel implements LanguageModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly capabilities = { tools: false, structuredOutput: 'grammar', tokenize: true } as const;
  /** The model file's id: `modelId` itself, or what precedes `+<adapter>`. */
  readonly #base: string;
  readonly #adapter: string | undefined;

  constructor(
    readonly modelId: string,
    private readonly host: LlamaCppHost,
  ) {
    const split = splitAdapterModelId(modelId);
    this.#base = split?.baseModelId ?? modelId;
    this.#adapter = split?.adapter;
  }

  get provider(): string {
    return this.host.name;
  }

  async contextLength(): Promise<number | undefined> {
    const header = await this.host.header(this.#base).catch(() => undefined);
    const configured = this.host.runtime.options.contextSize;
    return header?.contextLength ? Math.min(header.contextLength, configured) : configured;
  }

  async doStream(options: LanguageModelCallOptions): Promise<StreamResult> {
    const settings = resolveGenerationSettings(options);
    const file = this.host.fileFor(this.#base);
    const adapter =
      this.#adapter === undefined
        ? undefined
        : await this.host.adapter({
            projectId: options.context?.projectId,
            baseModelId: this.#base,
            adapter: this.#adapter,
          });
    const lease = await this.host.runtime.acquire(this.#base, file);
    let plan: GenerationPlan;
    try {
      const loaded = lease.model;
      const rendered = renderPrompt(loaded.model, loaded.chatWrapper, options.prompt);
      let tokens = rendered.tokens;
      if (settings.truncateInputTokens !== undefined && tokens.length > settings.truncateInputTokens) {
        tokens = keepLast(tokens, settings.truncateInputTokens, loaded.model.tokens.bos);
      }
      if (tokens.length >= loaded.contextSize) {
        throw new KeelError(
          'context_length_exceeded',
          `The prompt is ${tokens.length} tokens; ${this.host.name}:${this.modelId} runs with a context window of ${loaded.contextSize} tokens.`,
          {
            data: {
              promptTokens: tokens.length,
              contextLength: loaded.contextSize,
              hint: 'Shorten the prompt, set truncate_input_tokens, or raise llamacpp.contextSize in keel.yaml.',
            },
          },
        );
      }
      const vocabularySize = loaded.vocabularySize;
      for (const token of settings.logitBias.keys()) {
        if (token >= vocabularySize) {
          throw new KeelError(
            'invalid_request',
            `logitBias names token ${token}, but the vocabulary has ${vocabularySize} tokens.`,
          );
        }
      }
      if (settings.minNewTokens > 0 && !canBiasEndTokens(loaded)) {
        settings.warnings.push({
          type: 'unsupported-setting',
          setting: 'min_new_tokens',
          message:
            'This build of node-llama-cpp cannot hold back end-of-text tokens; min_new_tokens only delays stop sequences.',
        });
      }
      const grammar: LlamaGrammar | undefined =
        options.responseFormat?.type === 'json'
          ? await this.host.grammar(options.responseFormat.schema)
          : undefined;
      plan = {
        modelId: this.#base,
        file,
        ...(adapter ? { adapter } : {}),
        promptTokens: tokens,
        settings,
        endTexts: [
          ...rendered.endTexts,
          ...(grammar?.stopGenerationTriggers.flatMap((trigger) => plainText(trigger) ?? []) ?? []),
        ],
        ...(grammar ? { grammar } : {}),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      };
    } finally {
      // The stream takes its own lease when it starts: a stream that is never read holds nothing.
      lease.release();
    }
    return {
      stream: generationStream(this.host.runtime, plan, this.host.logger),
      warnings: settings.warnings,
    };
  }

  async doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult> {
    const { stream, warnings } = await this.doStream(options);
    let text = '';
    for await (const part of stream) {
      if (part.type === 'text-delta') text += part.text;
      else if (part.type === 'error') throw part.error;
      else if (part.type === 'finish') {
        return {
          text,
          finishReason: part.finishReason,
          usage: part.usage,
          warnings,
          ...(part.seed !== undefined ? { seed: part.seed } : {}),
        };
      }
    }
    throw new KeelError('internal', `The stream of ${this.modelId} ended without a finish.`);
  }

  /**
   * Exact tokenization, special tokens (`<|im_start|>` …) recognised as the model reads prompts.
   * Large texts are tokenized slice by slice, yielding to the event loop (see sliced-tokenize).
   */
  async tokenize(text: string, options: { abortSignal?: AbortSignal } = {}): Promise<TokenizeResult> {
    const abortSignal = options.abortSignal;
    if (abortSignal?.aborted) throw new KeelError('client_closed', 'The request was cancelled.');
    const lease = await this.host.runtime.acquire(this.#base, this.host.fileFor(this.#base));
    try {
      const model = lease.model.model;
      const slicer = new TimeSlicer();
      const tokens = await tokenizeSliced(model, text, { abortSignal, slicer });
      const strings = await tokenStrings(tokens, (group) => model.detokenize(group, true), {
        abortSignal,
        slicer,
      });
      return { tokens, strings };
    } finally {
      lease.release();
    }
  }

  /** The inverse of `tokenize` (not part of the port; used by tools and tests). */
  async detokenize(tokens: readonly number[]): Promise<string> {
    const lease = await this.host.runtime.acquire(this.#base, this.host.fileFor(this.#base));
    try {
      return lease.model.model.detokenize(tokens as Token[], true);
    } finally {
      lease.release();
    }
  }
}

/** The last `count` tokens, keeping a leading BOS token in front (it counts towards `count`). */
function keepLast(tokens: Token[], count: number, bos: Token | null): Token[] {
  if (bos !== null && tokens[0] === bos && count > 1)
    return [bos, ...tokens.slice(tokens.length - (count - 1))];
  return tokens.slice(tokens.length - count);
}
