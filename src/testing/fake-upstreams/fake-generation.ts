/**
 * @module testing/fake-upstreams/fake-generation
 * The "model" behind the fake upstream servers: it always answers with the configured reply,
 * honouring what real servers honour — max new tokens (a token is a word with its leading
 * space), stop sequences (cut before the match, or after it when asked), tool calls and JSON
 * output — so tests can assert exact text and finish reasons. Embeddings and rerank scores are
 * deterministic functions of the text.
 */

export interface FakeGenerationRequest {
  maxTokens?: number | undefined;
  stop?: string[] | undefined;
  includeStop?: boolean | undefined;
}

export interface FakeGeneration {
  text: string;
  reason: 'eos' | 'length' | 'stop';
  /** The stop sequence that matched. */
  stop?: string;
  outputTokens: number;
}

const tokenPattern = /\s*\S+/g;

/** The fake tokenizer: each word with the whitespace before it. */
export function fakeTokens(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const space = text.charCodeAt(index) <= 32;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

/** A deterministic token id for a piece of text. */
export function fakeTokenId(piece: string): number {
  let hash = 2166136261;
  for (let index = 0; index < piece.length; index++) {
    hash ^= piece.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 50_000;
}

export function generate(reply: string, request: FakeGenerationRequest): FakeGeneration {
  let text = reply;
  let reason: FakeGeneration['reason'] = 'eos';
  const tokens = fakeTokens(reply);
  if (request.maxTokens !== undefined && tokens.length > request.maxTokens) {
    text = tokens.slice(0, request.maxTokens).join('');
    reason = 'length';
  }
  let matched: string | undefined;
  let at = -1;
  for (const stop of request.stop ?? []) {
    if (!stop) continue;
    const index = text.indexOf(stop);
    if (index !== -1 && (at === -1 || index < at)) {
      at = index;
      matched = stop;
    }
  }
  if (matched !== undefined) {
    text = text.slice(0, request.includeStop ? at + matched.length : at);
    reason = 'stop';
  }
  return {
    text,
    reason,
    ...(matched !== undefined ? { stop: matched } : {}),
    outputTokens: countWords(text),
  };
}

/** Splits `text` into `count` pieces (by words when there are enough, else by characters). */
export function splitInto(text: string, count: number | undefined): string[] {
  if (text === '') return [];
  const tokens = fakeTokens(text);
  const trailing = text.slice(tokens.join('').length);
  if (trailing) tokens.push(trailing);
  if (count === undefined || count <= 0) return tokens;
  const pieces: string[] = [];
  if (tokens.length >= count) {
    for (let index = 0; index < count; index++) {
      const start = Math.floor((index * tokens.length) / count);
      const end = Math.floor(((index + 1) * tokens.length) / count);
      pieces.push(tokens.slice(start, end).join(''));
    }
    return pieces;
  }
  const characters = [...text];
  const parts = Math.min(count, characters.length);
  for (let index = 0; index < parts; index++) {
    const start = Math.floor((index * characters.length) / parts);
    const end = Math.floor(((index + 1) * characters.length) / parts);
    pieces.push(characters.slice(start, end).join(''));
  }
  return pieces;
}

/** A unit-length vector that depends only on `text` (FNV-1a seeded xorshift). */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  let state = fakeTokenId(text) + 1;
  for (let index = 0; index < text.length; index++)
    state = (Math.imul(state, 31) + text.charCodeAt(index)) | 0;
  const vector: number[] = [];
  let norm = 0;
  for (let index = 0; index < dimensions; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = ((state >>> 0) / 4294967296) * 2 - 1;
    vector.push(value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  return vector.map((value) => value * scale);
}

/** Share of the query's words found in the document: a deterministic relevance score in [0, 1]. */
export function fakeRelevance(query: string, document: string): number {
  const words = query.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? [];
  if (words.length === 0) return 0;
  const haystack = document.toLowerCase();
  return words.filter((word) => haystack.includes(word)).length / words.length;
}

/** A JSON value that satisfies simple schemas (object, array, string, number, boolean, enum, const). */
export function sampleForSchema(schema: unknown, word: string): unknown {
  if (typeof schema !== 'object' || schema === null) return { text: word };
  const node = schema as Record<string, unknown>;
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length) return node.enum[0];
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'object': {
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, sampleForSchema(value, word)]),
      );
    }
    case 'array':
      return [sampleForSchema(node.items, word)];
    case 'string':
      return word;
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return { text: word };
  }
}

/** The text of the last user turn of an OpenAI/watsonx/Ollama message list. */
export function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as { role?: string; content?: unknown };
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content))
      return message.content.map((part: { text?: string }) => part?.text ?? '').join(' ');
  }
  return '';
}

/** Words in every message, as the prompt token count. */
export function promptWords(messagesOrPrompt: unknown): number {
  if (typeof messagesOrPrompt === 'string') return countWords(messagesOrPrompt);
  if (!Array.isArray(messagesOrPrompt)) return 0;
  let count = 0;
  for (const message of messagesOrPrompt as { content?: unknown }[]) {
    if (typeof message?.content === 'string') count += countWords(message.content);
  }
  return count;
}

/** Whether the conversation ends with a user turn (a tool result means: answer in words now). */
export function endsWithUser(messages: unknown): boolean {
  return Array.isArray(messages) && (messages.at(-1) as { role?: string } | undefined)?.role === 'user';
}
