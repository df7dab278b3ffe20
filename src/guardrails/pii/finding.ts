/**
 * @module guardrails/pii/finding
 * What a PII recognizer reports before context and overlap resolution.
 */
export interface Finding {
  type: string;
  start: number;
  end: number;
  /** Pattern-level confidence; 1.0 when a check digit validated it. */
  score: number;
  reasons: string[];
}

export interface Recognizer {
  readonly types: readonly string[];
  /** Appends findings for `text` to `out`. Must not throw on any input. */
  scan(text: string, out: Finding[]): void;
}

/** Runs a global regex over `text`, calling `onMatch` for each match (sticky `lastIndex` handled). */
export function eachMatch(pattern: RegExp, text: string, onMatch: (match: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    onMatch(match);
    if (match[0].length === 0) pattern.lastIndex++;
  }
}

export function digitsOf(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) out += text[i];
  }
  return out;
}
