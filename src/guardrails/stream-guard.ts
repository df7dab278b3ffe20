/**
 * @module guardrails/stream-guard
 * Output checked while it streams: text is held until a sentence ends (or a bounded buffer
 * fills), the sentence is checked against the output policy, and what reaches the client is the
 * sentence as it is, masked, or replaced — never the flagged original. Pseudonym placeholders
 * are restored on the way out for callers allowed to see the values.
 */
import type { Decision, Evaluation } from './evaluate.js';
import { evaluate } from './evaluate.js';
import type { DirectionPolicy } from './policy.js';
import type { Pseudonymizer } from './pseudonymizer.js';
import { nextSentenceEnd } from './text/sentences.js';

/** Longest text held back waiting for a sentence end. */
const MAX_BUFFER = 600;

export interface StreamGuardOptions {
  policy: DirectionPolicy;
  hashKey?: Buffer;
  /** Restore placeholders in the output (the caller's role allows it). */
  restore?: Pseudonymizer;
  onDecisions?: (decisions: Decision[], evaluation: Evaluation) => void;
}

export interface StreamGuard {
  /** Feeds a delta; returns the text that may be sent now (possibly empty). */
  push(delta: string): string;
  /** The end of the stream: checks and returns what is still held. */
  flush(): string;
  readonly decisions: Decision[];
  /** Offset of the next character in the checked output (for decision offsets). */
  readonly emitted: number;
}

export function createStreamGuard(options: StreamGuardOptions): StreamGuard {
  let buffer = '';
  let offset = 0;
  const decisions: Decision[] = [];
  const restorer = options.restore?.streamRestorer();

  const check = (segment: string): string => {
    if (!segment) return '';
    const evaluation = evaluate(segment, options.policy, {
      direction: 'output',
      ...(options.hashKey ? { hashKey: options.hashKey } : {}),
    });
    const shifted = evaluation.decisions.map((decision) => ({
      ...decision,
      start: decision.start + offset,
      end: decision.end + offset,
    }));
    offset += segment.length;
    if (shifted.length) {
      decisions.push(...shifted);
      options.onDecisions?.(shifted, evaluation);
    }
    const text = evaluation.text;
    return restorer ? restorer.push(text) : text;
  };

  return {
    push(delta) {
      buffer += delta;
      let out = '';
      for (;;) {
        const end = nextSentenceEnd(buffer);
        if (end > 0) {
          out += check(buffer.slice(0, end));
          buffer = buffer.slice(end);
          continue;
        }
        if (buffer.length > MAX_BUFFER) {
          // No sentence end in sight: cut at the last space so words stay whole.
          const cut = Math.max(buffer.lastIndexOf(' ', MAX_BUFFER), Math.floor(MAX_BUFFER / 2));
          out += check(buffer.slice(0, cut));
          buffer = buffer.slice(cut);
          continue;
        }
        return out;
      }
    },
    flush() {
      const out = check(buffer);
      buffer = '';
      return out + (restorer ? restorer.flush() : '');
    },
    decisions,
    get emitted() {
      return offset;
    },
  };
}
