/**
 * @module models/providers/llamacpp/stop-sequence-matcher
 * Finds stop sequences in streamed text. Text that could be the start of a stop sequence is held
 * back until it either completes the sequence (and is dropped, or kept when the caller asked to
 * include it) or turns out to be ordinary text, so a stream never shows half of a stop sequence.
 */

export interface StopScan {
  /** Text that is safe to emit now. */
  text: string;
  /** The stop sequence that matched; generation should end. */
  matched?: string;
}

export class StopSequenceMatcher {
  readonly #sequences: string[];
  readonly #longest: number;
  #held = '';

  constructor(sequences: readonly string[]) {
    this.#sequences = [...new Set(sequences.filter((sequence) => sequence.length > 0))];
    this.#longest = Math.max(0, ...this.#sequences.map((sequence) => sequence.length));
  }

  get active(): boolean {
    return this.#sequences.length > 0;
  }

  /**
   * Adds generated text. With `detect: false` (before min_new_tokens is reached) sequences are not
   * matched and nothing is held back, so text that is already out is never revisited.
   */
  push(text: string, options: { detect?: boolean } = {}): StopScan {
    const buffer = this.#held + text;
    this.#held = '';
    if (!this.active) return { text: buffer };
    if (options.detect === false) return { text: buffer };
    let earliest: { index: number; sequence: string } | undefined;
    for (const sequence of this.#sequences) {
      const index = buffer.indexOf(sequence);
      if (index >= 0 && (!earliest || index < earliest.index)) earliest = { index, sequence };
    }
    if (earliest) return { text: buffer.slice(0, earliest.index), matched: earliest.sequence };
    const keep = this.#partialTail(buffer);
    this.#held = buffer.slice(buffer.length - keep);
    return { text: buffer.slice(0, buffer.length - keep) };
  }

  /** Releases held-back text (the stream ended without completing a sequence). */
  flush(): string {
    const held = this.#held;
    this.#held = '';
    return held;
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some sequence. */
  #partialTail(buffer: string): number {
    for (let length = Math.min(buffer.length, this.#longest - 1); length > 0; length--) {
      const tail = buffer.slice(buffer.length - length);
      if (this.#sequences.some((sequence) => sequence.startsWith(tail))) return length;
    }
    return 0;
  }
}
