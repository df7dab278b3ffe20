/**
 * @module models/providers/llamacpp/generation-stream
 * The generation loop: waits for a free sequence (first come, first served), reuses the part of
 * the prompt the sequence already holds, samples token by token and streams text as soon as it
 * is complete. It ends on an end-of-generation token, a stop sequence, max_new_tokens, the
 * context window, or the abort signal — an abort ends the stream at once with `cancelled`, even
 * in the middle of evaluating a long prompt; the sequence is freed when llama.cpp finishes the
 * step it is in.
 */
import {
  type LlamaContextSequence,
  type LlamaGrammar,
  LlamaGrammarEvaluationState,
  type SequenceEvaluateOptions,
  type Token,
  TokenBias,
} from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { ResolvedAdapter } from '../../../spec/adapter-source.js';
import type { FinishReason, StreamPart } from '../../../spec/language-model.js';
import { type GenerationSettings, penaltyWindow } from './generation-settings.js';
import type { LlamaRuntime, ModelLease } from './llama-runtime.js';
import type { LoadedModel } from './loaded-model.js';
import { OutputText, TokenTextDecoder } from './output-text.js';
import type { SequencePool } from './sequence-pool.js';

export interface GenerationPlan {
  modelId: string;
  file: string;
  /** A LoRA adapter applied to the model (its own context). */
  adapter?: ResolvedAdapter;
  promptTokens: Token[];
  settings: GenerationSettings;
  grammar?: LlamaGrammar;
  /** Texts that end the answer like an end-of-generation token (template and grammar triggers). */
  endTexts: string[];
  abortSignal?: AbortSignal;
}

export async function* generationStream(
  runtime: LlamaRuntime,
  plan: GenerationPlan,
  logger: Logger,
): AsyncGenerator<StreamPart> {
  const { settings, abortSignal: signal } = plan;
  const usage = { inputTokens: plan.promptTokens.length, outputTokens: 0 };
  const finish = (finishReason: FinishReason): StreamPart => ({
    type: 'finish',
    finishReason,
    usage: { ...usage },
    ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
  });
  if (signal?.aborted) {
    yield finish('cancelled');
    return;
  }
  if (settings.maxNewTokens === 0) {
    yield finish('max_tokens');
    return;
  }

  let lease: ModelLease | undefined;
  let pool: SequencePool<LlamaContextSequence> | undefined;
  let sequence: LlamaContextSequence | undefined;
  let evaluation: ReturnType<LlamaContextSequence['evaluate']> | undefined;
  try {
    lease = await runtime.acquire(plan.modelId, plan.file);
    const loaded = lease.model;
    const generation = plan.adapter
      ? await loaded.adaptedGeneration(plan.adapter)
      : await loaded.generation();
    pool = generation.pool;
    try {
      sequence = await pool.acquire(signal);
    } catch (error) {
      if (signal?.aborted) {
        yield finish('cancelled');
        return;
      }
      throw error;
    }

    // Keep whatever prefix of this prompt the sequence already holds (a shared system prompt,
    // the earlier turns of a chat) and evaluate only the rest; at least the last token is new.
    await sequence.adaptStateToTokens(plan.promptTokens.slice(0, -1), false);
    const history = [...plan.promptTokens];
    const output = new OutputText({
      endTexts: plan.endTexts,
      stopSequences: settings.stopSequences,
      includeStopSequence: settings.includeStopSequence,
      trimTrailingWhitespace: plan.grammar?.trimWhitespaceSuffix ?? false,
    });
    const decoder = new TokenTextDecoder(loaded.model, plan.promptTokens);
    let generated = 0;
    evaluation = sequence.evaluate(
      plan.promptTokens.slice(sequence.nextTokenIndex),
      evaluateOptions(loaded, plan, history, () => generated),
    );

    let finishReason: FinishReason | undefined;
    let endedByText = false;
    // One step in flight ahead of the reader: llama.cpp decodes the next token while this one
    // travels through the middleware to the client, so per-token work on the way out does not
    // add to the time between tokens. A reader that stops leaves at most that one step to finish.
    let pending = ahead(nextOrAbort(evaluation, signal));
    while (!finishReason) {
      const step = await pending;
      if (step === 'aborted' || signal?.aborted) {
        finishReason = 'cancelled';
        break;
      }
      if (step.done) {
        finishReason = 'token_limit';
        break;
      }
      const token = step.value;
      if (loaded.model.isEogToken(token)) {
        finishReason = 'eos_token';
        break;
      }
      generated++;
      usage.outputTokens = generated;
      history.push(token);
      const text = decoder.push(token);
      const out = text ? output.push(text, generated >= settings.minNewTokens) : { text: '' };
      if (out.finish) {
        finishReason = out.finish;
        endedByText = true;
      } else if (settings.maxNewTokens !== undefined && generated >= settings.maxNewTokens)
        finishReason = 'max_tokens';
      // The sampled token still has to enter the context before another can follow it.
      else if (sequence.nextTokenIndex >= generation.contextSize - 1) finishReason = 'token_limit';
      // The next step starts before this text is handed on (history and counts are up to date).
      if (!finishReason) pending = ahead(nextOrAbort(evaluation, signal));
      if (out.text) yield { type: 'text-delta', text: out.text };
    }
    if (!endedByText) {
      // Whatever was held back (an unfinished character, a possible stop sequence) is output.
      const decoded = decoder.flush();
      const tail = (decoded ? output.push(decoded, true).text : '') + output.finish();
      if (tail) yield { type: 'text-delta', text: tail };
    }
    yield finish(finishReason);
  } catch (error) {
    if (signal?.aborted) {
      yield finish('cancelled');
      return;
    }
    logger.warn({ model: plan.modelId, err: error }, 'llama.cpp generation failed');
    yield {
      type: 'error',
      error:
        error instanceof KeelError
          ? error
          : new KeelError('internal', `Generation with ${plan.modelId} failed in llama.cpp.`, {
              cause: error,
            }),
    };
  } finally {
    // Returning the evaluation iterator stops llama.cpp after the step in progress (a token, or a
    // batch of a long prompt); only then is the sequence free for the next request. Not awaited:
    // a caller that stops reading must not wait for that step.
    const evaluating = evaluation;
    const held = sequence;
    void (async () => {
      if (evaluating) await evaluating.return(undefined).catch(() => undefined);
      if (held && pool) pool.release(held);
      lease?.release();
    })();
  }
}

function evaluateOptions(
  loaded: LoadedModel,
  plan: GenerationPlan,
  history: Token[],
  generated: () => number,
): SequenceEvaluateOptions {
  const { settings } = plan;
  const options: SequenceEvaluateOptions = { ...settings.sampling, yieldEogToken: true };
  if (plan.grammar) {
    options.grammarEvaluationState = new LlamaGrammarEvaluationState({
      model: loaded.model,
      grammar: plan.grammar,
    });
  }
  if (settings.repeatPenalty) {
    options.repeatPenalty = {
      punishTokens: () => history.slice(-penaltyWindow),
      maxPunishTokens: penaltyWindow,
      ...settings.repeatPenalty,
    };
  }
  const base = settings.logitBias.size > 0 ? tokenBias(loaded, settings.logitBias) : undefined;
  if (settings.minNewTokens > 0) {
    const noEnd = new Map(settings.logitBias);
    for (const token of loaded.eogTokens) noEnd.set(token, Number.NEGATIVE_INFINITY);
    const suppressEnd = tokenBias(loaded, noEnd);
    const fallback = base ?? new TokenBias(loaded.model.tokenizer);
    // Asked before every sampled token: end tokens are banned until min_new_tokens is reached.
    options.tokenBias = () => (generated() < settings.minNewTokens ? suppressEnd : fallback);
  } else if (base) {
    options.tokenBias = base;
  }
  return options;
}

/** Whether this node-llama-cpp lets end-of-generation tokens be biased (see `tokenBias`). */
export function canBiasEndTokens(loaded: LoadedModel): boolean {
  return endTokenBiases(new TokenBias(loaded.model.tokenizer)) !== undefined;
}

/**
 * Builds a TokenBias. `TokenBias.set` deliberately skips end-of-generation tokens, but
 * min_new_tokens and a caller's logit bias on EOS need exactly those, so they go straight into
 * the bias table the sampler reads (checked by `canBiasEndTokens`; node-llama-cpp is pinned).
 */
function tokenBias(loaded: LoadedModel, biases: ReadonlyMap<number, number>): TokenBias {
  const bias = new TokenBias(loaded.model.tokenizer);
  const table = endTokenBiases(bias);
  for (const [id, logit] of biases) {
    const token = id as Token;
    if (loaded.model.isEogToken(token)) table?.set(token, logit);
    else bias.set(token, logit === Number.NEGATIVE_INFINITY ? 'never' : { logit });
  }
  return bias;
}

function endTokenBiases(bias: TokenBias): Map<Token, number> | undefined {
  const table = (bias as unknown as { _biases?: unknown })._biases;
  return table instanceof Map ? (table as Map<Token, number>) : undefined;
}

/**
 * A step started ahead of its reader: a failure it meets while nobody awaits it (the reader has
 * stopped) is not an unhandled rejection; whoever awaits it still gets the failure.
 */
function ahead<T>(step: Promise<T>): Promise<T> {
  step.catch(() => undefined);
  return step;
}

/** The next token, or 'aborted' as soon as the signal fires (the pending step finishes on its own). */
function nextOrAbort<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<T> | 'aborted'> {
  const next = iterator.next();
  if (!signal) return next;
  next.catch(() => undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    next.then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
