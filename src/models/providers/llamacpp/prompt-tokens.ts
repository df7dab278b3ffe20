/**
 * @module models/providers/llamacpp/prompt-tokens
 * Turns a prompt into the exact tokens the model sees. Chat prompts are rendered with the model's
 * own chat template (through node-llama-cpp's chat wrappers); a trailing assistant message is
 * continued rather than closed, so callers can prefill the start of an answer. Text prompts are
 * tokenized as written — special tokens included, for hand-written prompt formats — with the
 * model's BOS token in front when it expects one.
 */
import {
  type ChatHistoryItem,
  type ChatWrapper,
  isLlamaText,
  type LlamaModel,
  type LlamaText,
  SpecialToken,
  type Token,
} from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import type { ChatMessage, LanguageModelPrompt } from '../../../spec/language-model.js';

export interface RenderedPrompt {
  tokens: Token[];
  /** Text that ends the answer in this template (e.g. `<|im_end|>` typed out as plain text). */
  endTexts: string[];
}

/** Maps Keel chat messages to node-llama-cpp's chat history. */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        history.push({ type: 'system', text: message.content });
        break;
      case 'user':
        history.push({ type: 'user', text: message.content });
        break;
      case 'assistant': {
        // Tool calls are shown as the JSON the model would have written: this provider does not
        // drive native function calling, but the conversation must stay readable to the model.
        const calls = (message.toolCalls ?? []).map((call) =>
          JSON.stringify({ name: call.name, arguments: safeJson(call.arguments) }),
        );
        const text = [message.content, ...calls].filter(Boolean).join('\n');
        history.push({ type: 'model', response: text ? [text] : [] });
        break;
      }
      case 'tool':
        history.push({
          type: 'user',
          text: `Result of tool call ${message.toolCallId}:\n${message.content}`,
        });
        break;
    }
  }
  return history;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Renders and tokenizes a prompt for `model`. */
export function renderPrompt(
  model: LlamaModel,
  chatWrapper: ChatWrapper,
  prompt: LanguageModelPrompt,
): RenderedPrompt {
  if (prompt.type === 'text') {
    const tokens = model.tokenize(prompt.text, true);
    const bos = model.tokens.bos;
    if (model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos) tokens.unshift(bos);
    return { tokens, endTexts: [] };
  }
  if (prompt.messages.length === 0) {
    throw new KeelError('invalid_request', 'A chat prompt needs at least one message.', {
      issues: [{ code: 'too_small', path: ['messages'], message: 'at least one message is required' }],
    });
  }
  const history = toChatHistory(prompt.messages);
  // An open model turn at the end asks the template for the generation prompt; an assistant
  // message already there is continued as it is.
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  const state = chatWrapper.generateContextState({ chatHistory: history });
  return {
    tokens: state.contextText.tokenize(model.tokenizer),
    endTexts: state.stopGenerationTriggers.flatMap((trigger) => {
      const text = plainText(trigger);
      return text ? [text] : [];
    }),
  };
}

/**
 * The text of a stop trigger, or undefined when it is a built-in special token (EOS, EOT …),
 * which the sampler reports as an end-of-generation token anyway.
 */
export function plainText(text: LlamaText | string | readonly (string | Token)[]): string | undefined {
  if (typeof text === 'string') return text || undefined;
  if (!isLlamaText(text)) return undefined;
  let out = '';
  for (const value of text.values) {
    if (value instanceof SpecialToken) return undefined;
    out += typeof value === 'string' ? value : value.value;
  }
  return out || undefined;
}
