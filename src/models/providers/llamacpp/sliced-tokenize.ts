/**
 * @module models/providers/llamacpp/sliced-tokenize
 * Tokenizes large texts without holding the event loop: llama.cpp's tokenizer is a synchronous
 * native call (about 2 µs a byte on the test model, so 10 MB would freeze the server for tens of
 * seconds). The text is cut into slices of a few kilobytes at points where byte-level BPE
 * pre-tokenizers split anyway — before a space that follows and precedes non-space characters,
 * or after a line break before a non-space character — and the loop yields between slices
 * (`TimeSlicer`). Continuation slices are tokenized with node-llama-cpp's `trimLeadingSpace`, so
 * SentencePiece models do not gain a leading space per slice. Only a text with no such point in a
 * whole slice (kilobytes without a space or line break) is cut at a character boundary, where the
 * count may differ from the unsliced one by a token.
 */
import type { LlamaModel, Token } from 'node-llama-cpp';
import { TimeSlicer } from '../../../core/time-slice.js';

/** Characters per slice; at ~2 µs a byte this is a few milliseconds of native work. */
export const TOKENIZE_SLICE_CHARS = 4096;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c;
}

function isCutPoint(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const here = text.charCodeAt(at);
  if (here === 0x20)
    return !isWhitespace(before) && at + 1 < text.length && !isWhitespace(text.charCodeAt(at + 1));
  return before === 0x0a && !isWhitespace(here);
}

/**
 * Offsets where `text` is cut into slices of at most `size` characters (the last slice may be
 * shorter). Exported for tests.
 */
export function sliceOffsets(text: string, size = TOKENIZE_SLICE_CHARS): number[] {
  const cuts: number[] = [];
  let start = 0;
  while (text.length - start > size) {
    let cut = start + size;
    const lowest = start + (size >> 1);
    while (cut > lowest && !isCutPoint(text, cut)) cut--;
    if (cut === lowest) {
      cut = start + size;
      // Never between the halves of a surrogate pair.
      const code = text.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
    }
    cuts.push(cut);
    start = cut;
  }
  return cuts;
}

const plainJoin = new WeakMap<LlamaModel, boolean>();

/**
 * True when a continuation slice can be tokenized as it is: the tokenizer adds no space in front
 * of a text (byte-level BPE), so "a b" is "a" then " b". SentencePiece tokenizers add one, and
 * their continuation slices need node-llama-cpp's (slower) `trimLeadingSpace`.
 */
function joinsPlainly(model: LlamaModel): boolean {
  let known = plainJoin.get(model);
  if (known === undefined) {
    const whole = model.tokenize('keel slices', true);
    const parts = [...model.tokenize('keel', true), ...model.tokenize(' slices', true)];
    known = whole.length === parts.length && whole.every((token, index) => token === parts[index]);
    plainJoin.set(model, known);
  }
  return known;
}

/** `model.tokenize(text, true)`, slice by slice, yielding to the event loop between slices. */
export async function tokenizeSliced(
  model: LlamaModel,
  text: string,
  options: { abortSignal?: AbortSignal | undefined; slicer?: TimeSlicer } = {},
): Promise<Token[]> {
  if (text.length <= TOKENIZE_SLICE_CHARS) return model.tokenize(text, true);
  const slicer = options.slicer ?? new TimeSlicer();
  const continuation = joinsPlainly(model)
    ? (slice: string) => model.tokenize(slice, true)
    : (slice: string) => model.tokenize(slice, true, 'trimLeadingSpace');
  const tokens: Token[] = [];
  let start = 0;
  for (const end of [...sliceOffsets(text), text.length]) {
    const slice = text.slice(start, end);
    const part = start === 0 ? model.tokenize(slice, true) : continuation(slice);
    for (const token of part) tokens.push(token);
    start = end;
    if (slicer.due()) await slicer.pause(options.abortSignal);
  }
  return tokens;
}

/**
 * The text of each token such that the strings join back into the text. Byte-level tokenizers
 * split a multi-byte character (most Hangul) across tokens; decoded alone, each part is a
 * replacement character. Such a character is given to the token that completes it and the
 * tokens before it get the empty string. Yields to the event loop like `tokenizeSliced`.
 */
export async function tokenStrings(
  tokens: readonly Token[],
  decode: (group: Token[]) => string,
  options: { abortSignal?: AbortSignal | undefined; slicer?: TimeSlicer } = {},
): Promise<string[]> {
  const slicer = options.slicer ?? new TimeSlicer();
  const strings: string[] = [];
  // A token decoded on its own always gives the same text: one native call per distinct token.
  const single = new Map<Token, string>();
  let pending: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    pending.push(token);
    let text: string;
    if (pending.length === 1) {
      const known = single.get(token);
      text = known ?? decode(pending);
      if (known === undefined) single.set(token, text);
    } else text = decode(pending);
    // A UTF-8 character is at most 4 bytes; a token may end one character and start the next,
    // so up to 3 bytes of each, in single-byte tokens, can be waiting: 6 tokens (8 with margin).
    if (text.endsWith('\uFFFD') && pending.length < 8) strings.push('');
    else {
      strings.push(text);
      pending = [];
    }
    if ((i & 255) === 255 && slicer.due()) await slicer.pause(options.abortSignal);
  }
  return strings;
}
