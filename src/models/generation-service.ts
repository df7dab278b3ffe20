/**
 * @module models/generation-service
 * The one entry for model calls by id: HTTP routes (OpenAI- and watsonx-shaped), the CLI, Prompt
 * Lab and RAG generate through here. It is thin: the models come from the registry already
 * wrapped in middleware (guardrails, metering, time limits, metrics, tracing — see
 * `models/middleware`), so this only resolves the id, passes who is calling and the guardrail
 * policy along with the call, and shapes the outcome.
 */
import type { GuardrailOutcome, GuardrailRequest } from '../guardrails/index.js';
import type { EmbedResult } from '../spec/embedding-model.js';
import type {
  CallContext,
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelV1,
  StreamPart,
  TokenizeResult,
} from '../spec/language-model.js';
import type { CallWarning } from '../spec/warnings.js';
import { guardrailOutcomeOf } from './middleware/guardrails.js';
import type { ProviderRegistry } from './provider-registry.js';

export { collect } from './middleware/time-limit.js';
export type { CallContext };

export interface GenerationRequest extends LanguageModelCallOptions {
  /** Full model id, `provider:model`. */
  model: string;
  /** Guardrail policy to apply in the request path (input before the model, output after). */
  guardrails?: GuardrailRequest;
}

export interface GenerationOutcome extends GenerateResult {
  model: string;
  latencyMs: number;
  guardrails?: GuardrailOutcome;
}

export interface StreamOutcome {
  model: string;
  warnings: CallWarning[];
  stream: AsyncIterable<StreamPart>;
  /** Filled in as the stream runs (input decisions at once, output ones sentence by sentence). */
  guardrails?: GuardrailOutcome;
}

export interface GenerationServiceOptions {
  registry: ProviderRegistry;
}

export class GenerationService {
  constructor(private readonly options: GenerationServiceOptions) {}

  get registry(): ProviderRegistry {
    return this.options.registry;
  }

  /** The model, wrapped in the registry's middleware. */
  languageModel(id: string): LanguageModelV1 {
    return this.options.registry.languageModel(id);
  }

  /** Generates to completion. With a time limit, returns what was produced when it runs out. */
  async generate(input: GenerationRequest, context?: CallContext): Promise<GenerationOutcome> {
    const started = performance.now();
    const { model: id, options } = callOptions(input, context);
    const result = await this.languageModel(id).doGenerate(options);
    const guardrails = guardrailOutcomeOf(result);
    const { middlewareMetadata: _metadata, ...rest } = result;
    return {
      ...rest,
      model: id,
      latencyMs: performance.now() - started,
      ...(guardrails ? { guardrails } : {}),
    };
  }

  /**
   * Streams a generation. Errors before the first part throw (so HTTP can answer with a status);
   * later ones arrive as an `error` part. Breaking out of the iteration cancels the generation.
   */
  async stream(input: GenerationRequest, context?: CallContext): Promise<StreamOutcome> {
    const { model: id, options } = callOptions(input, context);
    const result = await this.languageModel(id).doStream(options);
    const guardrails = guardrailOutcomeOf(result);
    return {
      model: id,
      warnings: result.warnings,
      stream: result.stream,
      ...(guardrails ? { guardrails } : {}),
    };
  }

  /** Embeds any number of values; the wrapped model splits them into batches the provider takes. */
  async embed(
    request: { model: string; values: string[]; truncateInputTokens?: number; abortSignal?: AbortSignal },
    context?: CallContext,
  ): Promise<EmbedResult & { model: string }> {
    const model = this.options.registry.embeddingModel(request.model);
    const result = await model.doEmbed({
      values: request.values,
      ...(request.truncateInputTokens !== undefined
        ? { truncateInputTokens: request.truncateInputTokens }
        : {}),
      ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
      ...(context ? { context } : {}),
    });
    return {
      embeddings: result.embeddings,
      usage: result.usage,
      warnings: result.warnings,
      model: request.model,
    };
  }

  async tokenize(modelId: string, text: string, abortSignal?: AbortSignal): Promise<TokenizeResult> {
    return this.languageModel(modelId).tokenize(text, abortSignal ? { abortSignal } : {});
  }
}

/** The request as call options: the caller in `context`, the policy in `middlewareOptions`. */
function callOptions(
  input: GenerationRequest,
  context: CallContext | undefined,
): { model: string; options: LanguageModelCallOptions } {
  const { model, guardrails, ...options } = input;
  if (context) options.context = context;
  if (guardrails) options.middlewareOptions = { ...options.middlewareOptions, guardrails };
  return { model, options };
}
