/**
 * @module models/generation-service
 * The one entry for model calls: HTTP routes (OpenAI- and watsonx-shaped), the CLI, Prompt Lab and
 * RAG all generate through here. It resolves the model, applies what every provider shares
 * (time limits with partial output, capability warnings), meters usage and records metrics.
 */
import { KeelError, toKeelError } from '../core/errors.js';
import type { KeelMetrics } from '../core/metrics.js';
import { INPUT_REJECTED } from '../guardrails/evaluate.js';
import type { GuardrailService } from '../guardrails/guardrail-service.js';
import type { Pseudonymizer } from '../guardrails/pseudonymizer.js';
import { type GuardrailOutcome, type GuardrailRequest, guardPrompt } from '../guardrails/request-guard.js';
import { createStreamGuard, type StreamGuard } from '../guardrails/stream-guard.js';
import type { UsageMeter } from '../platform/usage-meter.js';
import type { EmbedResult } from '../spec/embedding-model.js';
import type {
  FinishReason,
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelV1,
  StreamPart,
  TokenizeResult,
} from '../spec/language-model.js';
import type { CallWarning } from '../spec/warnings.js';
import type { ProviderRegistry } from './provider-registry.js';

export interface GenerationRequest extends LanguageModelCallOptions {
  /** Full model id, `provider:model`. */
  model: string;
  /** Guardrail policy to apply in the request path (input before the model, output after). */
  guardrails?: GuardrailRequest;
}

/** Who is calling, for metering. Omitted for internal calls that are metered elsewhere. */
export interface CallContext {
  projectId: string;
  keyId: string | null;
  endpoint: string;
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
  meter?: UsageMeter;
  metrics?: KeelMetrics;
  guardrails?: GuardrailService;
}

export class GenerationService {
  constructor(private readonly options: GenerationServiceOptions) {}

  get registry(): ProviderRegistry {
    return this.options.registry;
  }

  languageModel(id: string): LanguageModelV1 {
    return this.options.registry.languageModel(id);
  }

  /** Generates to completion. With a time limit, returns what was produced when it runs out. */
  async generate(input: GenerationRequest, context?: CallContext): Promise<GenerationOutcome> {
    const started = performance.now();
    const guard = await this.#guardInput(input, context);
    if (guard?.blocked)
      return { ...blockedResult(input, guard.outcome), latencyMs: performance.now() - started };
    const request = guard ? { ...input, prompt: guard.prompt } : input;
    try {
      const model = this.languageModel(request.model);
      const { options, warnings } = prepare(model, request);
      let result: GenerateResult;
      if (request.parameters?.timeLimitMs) {
        result = await collect(await this.#timedStream(model, options, request.parameters.timeLimitMs));
      } else {
        result = await model.doGenerate(options);
      }
      result = { ...result, warnings: [...warnings, ...result.warnings] };
      const latencyMs = performance.now() - started;
      this.#record(request.model, context, latencyMs, 200, result.usage, null, false);
      if (guard)
        return {
          ...(await this.#guardOutput(result, input.guardrails!, guard, context)),
          model: request.model,
          latencyMs,
        };
      return { ...result, model: request.model, latencyMs };
    } catch (error) {
      const keelError = toKeelError(error);
      this.#record(
        request.model,
        context,
        performance.now() - started,
        keelError.status,
        { inputTokens: 0, outputTokens: 0 },
        keelError.code,
        false,
      );
      throw keelError;
    }
  }

  /**
   * Streams a generation. Errors before the first part throw (so HTTP can answer with a status);
   * later ones arrive as an `error` part. Breaking out of the iteration cancels the generation.
   */
  async stream(input: GenerationRequest, context?: CallContext): Promise<StreamOutcome> {
    const started = performance.now();
    const guard = await this.#guardInput(input, context);
    if (guard?.blocked) return blockedStream(input, guard.outcome);
    const request = guard ? { ...input, prompt: guard.prompt } : input;
    let model: LanguageModelV1;
    let stream: AsyncIterable<StreamPart>;
    let warnings: CallWarning[];
    try {
      model = this.languageModel(request.model);
      const prepared = prepare(model, request);
      const result = request.parameters?.timeLimitMs
        ? await this.#timedStream(model, prepared.options, request.parameters.timeLimitMs)
        : await model.doStream(prepared.options);
      stream = result.stream;
      warnings = [...prepared.warnings, ...result.warnings];
    } catch (error) {
      const keelError = toKeelError(error);
      this.#record(
        request.model,
        context,
        performance.now() - started,
        keelError.status,
        { inputTokens: 0, outputTokens: 0 },
        keelError.code,
        true,
      );
      throw keelError;
    }
    const metrics = this.options.metrics;
    const record = this.#record.bind(this);
    const modelId = request.model;
    async function* metered(): AsyncGenerator<StreamPart> {
      let usage = { inputTokens: 0, outputTokens: 0 };
      let status = 499;
      let errorCode: string | null = 'client_closed';
      let first = true;
      try {
        for await (const part of stream) {
          if (first && part.type === 'text-delta') {
            first = false;
            metrics?.timeToFirstToken.observe({ model: modelId }, (performance.now() - started) / 1000);
          }
          if (part.type === 'finish') {
            usage = part.usage;
            // A generation the client abandoned ends as `cancelled`: metered as 499, not success.
            if (part.finishReason !== 'cancelled') {
              status = 200;
              errorCode = null;
            }
          } else if (part.type === 'error') {
            status = part.error.status;
            errorCode = part.error.code;
          }
          yield part;
          if (part.type === 'finish' || part.type === 'error') return;
        }
      } finally {
        record(modelId, context, performance.now() - started, status, usage, errorCode, true);
      }
    }
    if (!guard) return { model: request.model, warnings, stream: metered() };
    return {
      model: request.model,
      warnings,
      stream: this.#guardStream(metered(), input.guardrails!, guard, context),
      guardrails: guard.outcome,
    };
  }

  /** Checks the prompt; records input decisions. Undefined when the request has no policy. */
  async #guardInput(request: GenerationRequest, context?: CallContext): Promise<InputGuard | undefined> {
    const guardrails = request.guardrails;
    const service = this.options.guardrails;
    if (!guardrails || !service) return undefined;
    const checked = await guardPrompt(
      request.prompt,
      guardrails.policy.input,
      service.secretKey,
      service.modelDetectors.length
        ? (text, mode) => service.modelSpans(text, guardrails.policy.input, mode)
        : undefined,
    );
    const outcome: GuardrailOutcome = {
      policy: guardrails.policyName,
      blocked: checked.blocked ? 'input' : null,
      input: checked.decisions,
      output: [],
    };
    if (context)
      service.record(checked.decisions, {
        projectId: context.projectId,
        keyId: context.keyId,
        source: context.endpoint,
        policy: guardrails.policyName,
      });
    return {
      prompt: checked.prompt,
      blocked: checked.blocked,
      pseudonymizer: checked.pseudonymizer,
      outcome,
    };
  }

  async #guardOutput(
    result: GenerateResult,
    guardrails: GuardrailRequest,
    guard: InputGuard,
    context?: CallContext,
  ): Promise<GenerateResult & { guardrails: GuardrailOutcome }> {
    const checker = this.#outputChecker(guardrails, guard);
    const text = checker.push(result.text) + checker.flush();
    const replaced = await this.#finishOutput(checker, guardrails, guard, context);
    return {
      ...result,
      text,
      ...(replaced ? { finishReason: 'content_filter' as const } : {}),
      guardrails: guard.outcome,
    };
  }

  #outputChecker(guardrails: GuardrailRequest, guard: InputGuard): StreamGuard {
    return createStreamGuard({
      policy: guardrails.policy.output,
      hashKey: this.options.guardrails!.secretKey,
      ...(guardrails.restore ? { restore: guard.pseudonymizer } : {}),
    });
  }

  /** Records the output decisions, seals the placeholder mapping; true when output was replaced. */
  async #finishOutput(
    checker: StreamGuard,
    guardrails: GuardrailRequest,
    guard: InputGuard,
    context: CallContext | undefined,
  ): Promise<boolean> {
    const service = this.options.guardrails!;
    guard.outcome.output = checker.decisions;
    if (context) {
      service.record(checker.decisions, {
        projectId: context.projectId,
        keyId: context.keyId,
        source: context.endpoint,
        policy: guardrails.policyName,
      });
      if (guard.pseudonymizer.size)
        guard.outcome.mappingId = await service.saveMapping(
          context.projectId,
          context.keyId,
          guard.pseudonymizer,
        );
    }
    return checker.decisions.some((decision) => decision.action !== 'flag');
  }

  async *#guardStream(
    stream: AsyncIterable<StreamPart>,
    guardrails: GuardrailRequest,
    guard: InputGuard,
    context?: CallContext,
  ): AsyncGenerator<StreamPart> {
    const checker = this.#outputChecker(guardrails, guard);
    for await (const part of stream) {
      if (part.type === 'text-delta') {
        const text = checker.push(part.text);
        if (text) yield { type: 'text-delta', text };
        continue;
      }
      if (part.type === 'finish' || part.type === 'error') {
        const rest = checker.flush();
        if (rest) yield { type: 'text-delta', text: rest };
        const replaced = await this.#finishOutput(checker, guardrails, guard, context);
        yield part.type === 'finish' && replaced ? { ...part, finishReason: 'content_filter' } : part;
        return;
      }
      yield part;
    }
  }

  async embed(
    request: { model: string; values: string[]; truncateInputTokens?: number; abortSignal?: AbortSignal },
    context?: CallContext,
  ): Promise<EmbedResult & { model: string }> {
    const started = performance.now();
    try {
      const model = this.options.registry.embeddingModel(request.model);
      const embeddings: Float32Array[] = [];
      const warnings: CallWarning[] = [];
      let inputTokens = 0;
      // Split into batches the provider accepts; order is kept.
      for (let start = 0; start < request.values.length; start += model.maxEmbeddingsPerCall) {
        const result = await model.doEmbed({
          values: request.values.slice(start, start + model.maxEmbeddingsPerCall),
          ...(request.truncateInputTokens !== undefined
            ? { truncateInputTokens: request.truncateInputTokens }
            : {}),
          ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
        });
        embeddings.push(...result.embeddings);
        inputTokens += result.usage.inputTokens;
        for (const warning of result.warnings)
          if (!warnings.some((w) => w.message === warning.message)) warnings.push(warning);
      }
      this.#record(
        request.model,
        context,
        performance.now() - started,
        200,
        { inputTokens, outputTokens: 0 },
        null,
        false,
      );
      return { embeddings, usage: { inputTokens }, warnings, model: request.model };
    } catch (error) {
      const keelError = toKeelError(error);
      this.#record(
        request.model,
        context,
        performance.now() - started,
        keelError.status,
        { inputTokens: 0, outputTokens: 0 },
        keelError.code,
        false,
      );
      throw keelError;
    }
  }

  async tokenize(modelId: string, text: string, abortSignal?: AbortSignal): Promise<TokenizeResult> {
    const model = this.languageModel(modelId);
    return model.tokenize(text, abortSignal ? { abortSignal } : {});
  }

  /** Runs the provider's stream under a deadline; on expiry the provider is aborted and the stream ends with `time_limit`. */
  async #timedStream(model: LanguageModelV1, options: LanguageModelCallOptions, timeLimitMs: number) {
    const controller = new AbortController();
    const signal = options.abortSignal
      ? AbortSignal.any([options.abortSignal, controller.signal])
      : controller.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new KeelError('timeout', 'time limit reached'));
    }, timeLimitMs);
    timer.unref?.();
    let result: Awaited<ReturnType<LanguageModelV1['doStream']>>;
    try {
      result = await model.doStream({ ...options, abortSignal: signal });
    } catch (error) {
      clearTimeout(timer);
      if (timedOut)
        throw new KeelError(
          'timeout',
          `The model did not start answering within the time limit of ${timeLimitMs} ms.`,
        );
      throw error;
    }
    const inner = result.stream;
    async function* guarded(): AsyncGenerator<StreamPart> {
      let outputTokens = 0;
      let inputTokens = 0;
      try {
        for await (const part of inner) {
          if (timedOut) break;
          if (part.type === 'text-delta') outputTokens++;
          if (part.type === 'finish') inputTokens = part.usage.inputTokens;
          if (part.type === 'error' && timedOut) break;
          yield part;
          if (part.type === 'finish' || part.type === 'error') return;
        }
        if (timedOut) {
          // Token usage of an aborted call is not reported by providers; each streamed delta is at least one token.
          yield { type: 'finish', finishReason: 'time_limit', usage: { inputTokens, outputTokens } };
        }
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    }
    return { stream: guarded(), warnings: result.warnings };
  }

  #record(
    model: string,
    context: CallContext | undefined,
    latencyMs: number,
    status: number,
    usage: { inputTokens: number; outputTokens: number },
    errorCode: string | null,
    streamed: boolean,
  ): void {
    const metrics = this.options.metrics;
    if (metrics) {
      metrics.modelRequests.inc({ model, status: String(status) });
      if (usage.inputTokens) metrics.modelTokens.inc({ model, direction: 'input' }, usage.inputTokens);
      if (usage.outputTokens) metrics.modelTokens.inc({ model, direction: 'output' }, usage.outputTokens);
      metrics.modelLatency.observe({ model }, latencyMs / 1000);
    }
    if (context && this.options.meter) {
      this.options.meter.record({
        projectId: context.projectId,
        keyId: context.keyId,
        modelId: model,
        endpoint: context.endpoint,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        latencyMs,
        status,
        errorCode,
        streamed,
      });
    }
  }
}

/** Drops what the model cannot do, with a warning for each. */
function prepare(
  model: LanguageModelV1,
  request: GenerationRequest,
): { options: LanguageModelCallOptions; warnings: CallWarning[] } {
  const { model: _id, ...options } = request;
  const warnings: CallWarning[] = [];
  if (options.tools?.length && !model.capabilities.tools) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'tools',
      message: `${request.model} does not support tool calling; tools were ignored.`,
    });
    delete options.tools;
    delete options.toolChoice;
  }
  return { options, warnings };
}

/** Consumes a stream into a GenerateResult. */
export async function collect(result: {
  stream: AsyncIterable<StreamPart>;
  warnings: CallWarning[];
}): Promise<GenerateResult> {
  let text = '';
  const toolCalls: GenerateResult['toolCalls'] = [];
  let finishReason: FinishReason = 'eos_token';
  let usage = { inputTokens: 0, outputTokens: 0 };
  let seed: number | undefined;
  for await (const part of result.stream) {
    if (part.type === 'text-delta') text += part.text;
    else if (part.type === 'tool-call') toolCalls.push(part.toolCall);
    else if (part.type === 'finish') {
      finishReason = part.finishReason;
      usage = part.usage;
      seed = part.seed;
    } else if (part.type === 'error') throw part.error;
  }
  return {
    text,
    ...(toolCalls.length ? { toolCalls } : {}),
    finishReason,
    usage,
    warnings: result.warnings,
    ...(seed !== undefined ? { seed } : {}),
  };
}

interface InputGuard {
  prompt: LanguageModelCallOptions['prompt'];
  blocked: boolean;
  pseudonymizer: Pseudonymizer;
  outcome: GuardrailOutcome;
}

function blockedResult(
  request: GenerationRequest,
  outcome: GuardrailOutcome,
): Omit<GenerationOutcome, 'latencyMs'> {
  return {
    text: INPUT_REJECTED,
    finishReason: 'content_filter',
    usage: { inputTokens: 0, outputTokens: 0 },
    warnings: [],
    model: request.model,
    guardrails: outcome,
  };
}

function blockedStream(request: GenerationRequest, outcome: GuardrailOutcome): StreamOutcome {
  async function* parts(): AsyncGenerator<StreamPart> {
    yield { type: 'text-delta', text: INPUT_REJECTED };
    yield { type: 'finish', finishReason: 'content_filter', usage: { inputTokens: 0, outputTokens: 0 } };
  }
  return { model: request.model, warnings: [], stream: parts(), guardrails: outcome };
}
