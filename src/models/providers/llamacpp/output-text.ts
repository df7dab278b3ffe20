/**
 * @module models/providers/llamacpp/output-text
 * Turns sampled tokens into the text a caller sees: joins the bytes of characters split across
 * tokens (a Hangul syllable is three byte-level tokens in many vocabularies), ends at template end
 * texts and caller stop sequences without ever showing part of one, and — for JSON grammars —
 * holds back trailing whitespace that would only be trimmed at the end.
 */
import type { LlamaModel, Token } from 'node-llama-cpp';
import { StopSequenceMatcher } from './stop-sequence-matcher.js';

const REPLACEMENT = '\uFFFD';
/** A UTF-8 character is at most four bytes, so at most four byte tokens are ever pending. */
const maxPendingTokens = 4;

export class TokenTextDecoder {
  readonly #model: LlamaModel;
  #pending: Token[] = [];
  #recent: Token[];

  /** `context` is the prompt: detokenizers use the preceding tokens to place leading spaces. */
  constructor(model: LlamaModel, context: readonly Token[]) {
    this.#model = model;
    this.#recent = context.slice(-8);
  }

  /** Text completed by this token; empty while a character is still incomplete. */
  push(token: Token): string {
    this.#pending.push(token);
    const text = this.#model.detokenize(this.#pending, false, this.#recent);
    if (text.endsWith(REPLACEMENT) && this.#pending.length < maxPendingTokens) return '';
    return this.#take(text);
  }

  flush(): string {
    if (this.#pending.length === 0) return '';
    return this.#take(this.#model.detokenize(this.#pending, false, this.#recent));
  }

  #take(text: string): string {
    this.#recent = [...this.#recent, ...this.#pending].slice(-8);
    this.#pending = [];
    return text;
  }
}

export interface OutputStep {
  text: string;
  /** Set when the text ended the answer: a template end text, or a caller's stop sequence. */
  finish?: 'eos_token' | 'stop_sequence';
}

export class OutputText {
  readonly #end: StopSequenceMatcher;
  readonly #stops: StopSequenceMatcher;
  readonly #includeStop: boolean;
  readonly #trimWhitespace: boolean;
  #whitespace = '';

  constructor(options: {
    endTexts: readonly string[];
    stopSequences: readonly string[];
    includeStopSequence: boolean;
    trimTrailingWhitespace: boolean;
  }) {
    this.#end = new StopSequenceMatcher(options.endTexts);
    this.#stops = new StopSequenceMatcher(options.stopSequences);
    this.#includeStop = options.includeStopSequence;
    this.#trimWhitespace = options.trimTrailingWhitespace;
  }

  /** `detect: false` while min_new_tokens is not reached: nothing may end the answer yet. */
  push(text: string, detect: boolean): OutputStep {
    const ended = this.#end.push(text, { detect });
    const stopped = this.#stops.push(ended.text, { detect });
    if (stopped.matched) {
      return {
        text: this.#finalText(stopped.text + (this.#includeStop ? stopped.matched : '')),
        finish: 'stop_sequence',
      };
    }
    if (ended.matched)
      return { text: this.#finalText(stopped.text + this.#stops.flush()), finish: 'eos_token' };
    return { text: this.#streamText(stopped.text) };
  }

  /** Releases what is held back when generation ends for another reason. */
  finish(): string {
    const released = this.#stops.push(this.#end.flush());
    return this.#finalText(released.text + (released.matched ? '' : this.#stops.flush()));
  }

  #streamText(text: string): string {
    if (!this.#trimWhitespace) return text;
    const combined = this.#whitespace + text;
    const trailing = /\s+$/.exec(combined);
    this.#whitespace = trailing?.[0] ?? '';
    return trailing ? combined.slice(0, trailing.index) : combined;
  }

  #finalText(text: string): string {
    if (!this.#trimWhitespace) return text;
    const combined = this.#whitespace + text;
    this.#whitespace = '';
    return combined.trimEnd();
  }
}
