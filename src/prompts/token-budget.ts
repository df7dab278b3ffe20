/**
 * @module prompts/token-budget
 * How many tokens a rendered prompt takes on a given model, and whether it fits the model's
 * context window with room for `max_new_tokens`. Counts come from the model's tokenizer through
 * the generation service; a provider that cannot tokenize gets an estimate, reported as one.
 */
import type { TokenBudget } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import type { GenerationService } from '../models/index.js';
import type { LanguageModelPrompt, LanguageModelV1 } from '../spec/language-model.js';

/** Tokens a chat template adds around each message (role markers, separators): a typical figure. */
const CHAT_FRAMING_TOKENS_PER_MESSAGE = 4;

/**
 * A tokenizer-free estimate: Hangul, kana and CJK ideographs count about one token per character
 * in today's multilingual vocabularies; other text about one per four characters.
 */
export function estimateTokens(text: string): number {
  let wide = 0;
  let other = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0x3040 && code <= 0x30ff) ||
      (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0x1100 && code <= 0x11ff) ||
      (code >= 0x3130 && code <= 0x318f)
    )
      wide++;
    else other++;
  }
  return wide + Math.ceil(other / 4);
}

export interface TokenCount {
  inputTokens: number;
  method: 'tokenizer' | 'estimate';
  exact: boolean;
}

/** Counts the prompt's tokens on `modelId`: with its tokenizer when it has one, else estimated. */
export async function countPromptTokens(
  generation: GenerationService,
  model: LanguageModelV1,
  modelId: string,
  prompt: LanguageModelPrompt,
  signal?: AbortSignal,
): Promise<TokenCount> {
  const texts = prompt.type === 'text' ? [prompt.text] : prompt.messages.map((message) => message.content);
  const framing = prompt.type === 'chat' ? prompt.messages.length * CHAT_FRAMING_TOKENS_PER_MESSAGE : 0;
  if (model.capabilities.tokenize) {
    try {
      let count = framing;
      for (const text of texts)
        if (text) count += (await generation.tokenize(modelId, text, signal)).tokens.length;
      return { inputTokens: count, method: 'tokenizer', exact: prompt.type === 'text' };
    } catch (error) {
      // A provider that declares tokenization but cannot do it for this model falls back to the estimate.
      if (!(error instanceof KeelError && error.code === 'not_implemented')) throw error;
    }
  }
  return {
    inputTokens: framing + texts.reduce((sum, text) => sum + estimateTokens(text), 0),
    method: 'estimate',
    exact: false,
  };
}

/**
 * The budget for a call; throws `context_length_exceeded` (with the counts) when the prompt and
 * `max_new_tokens` do not fit the context window. Input beyond `truncate_input_tokens` is dropped by
 * the provider, so it does not count.
 */
export function checkBudget(options: {
  count: TokenCount;
  maxNewTokens: number;
  contextLength: number | undefined;
  truncateInputTokens?: number | undefined;
  modelId: string;
}): TokenBudget {
  const { count, maxNewTokens, contextLength, modelId } = options;
  const effectiveInput = options.truncateInputTokens
    ? Math.min(count.inputTokens, options.truncateInputTokens)
    : count.inputTokens;
  const budget: TokenBudget = {
    input_tokens: count.inputTokens,
    method: count.method,
    exact: count.exact,
    max_new_tokens: maxNewTokens,
    context_length: contextLength ?? null,
    remaining: contextLength === undefined ? null : contextLength - effectiveInput - maxNewTokens,
  };
  if (budget.remaining !== null && budget.remaining < 0) {
    const about = count.exact ? '' : ' about';
    throw new KeelError(
      'context_length_exceeded',
      `The prompt takes${about} ${effectiveInput} tokens${count.method === 'estimate' ? ' (estimated)' : ''} and max_new_tokens is ${maxNewTokens}: ${effectiveInput + maxNewTokens} tokens do not fit the ${contextLength}-token context window of ${modelId}.`,
      {
        data: {
          ...budget,
          hint: 'Shorten the prompt or its variables, lower max_new_tokens, set truncate_input_tokens, or choose a model with a longer context.',
        },
        issues: [
          {
            code: 'context_length_exceeded',
            path: ['prompt'],
            message: `${effectiveInput} + ${maxNewTokens} tokens > ${contextLength}`,
          },
        ],
      },
    );
  }
  return budget;
}
