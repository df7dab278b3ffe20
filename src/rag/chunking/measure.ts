/**
 * @module rag/chunking/measure
 * Chunk sizes in characters or tokens. Without a tokenizer, tokens are approximated the way BPE
 * tokenizers behave on average: a Latin word piece per four letters, one token per Hangul, Han or
 * Kana character, one per punctuation mark. Pass the embedding model's tokenizer for exact counts.
 */

import { Script, scriptOf } from '../../core/text/scripts.js';
import type { ChunkOptions, TokenCounter } from '../../spec/chunker.js';

/** An approximate BPE token count. */
export const approximateTokens: TokenCounter = (text) => {
  let tokens = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const script = scriptOf(text.charCodeAt(i));
    if (script === Script.Latin || script === Script.Other) {
      latin++;
      continue;
    }
    if (latin) tokens += Math.ceil(latin / 4);
    latin = 0;
    if (script === Script.Hangul || script === Script.Han || script === Script.Kana) tokens++;
    else if (!/\s/.test(text[i]!)) tokens += 1;
  }
  if (latin) tokens += Math.ceil(latin / 4);
  return tokens;
};

export type Measure = (text: string) => number;

export function measureFor(options: ChunkOptions): Measure {
  if ((options.unit ?? 'characters') === 'characters') return (text) => text.length;
  return options.countTokens ?? approximateTokens;
}
