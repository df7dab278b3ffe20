/**
 * @module guardrails/pii/finding
 * What a PII recognizer reports before context and overlap resolution.
 */
import type { TextScope } from '../../spec/detector.js';

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
  /**
   * Appends findings for `text` to `out`. Must not throw on any input. `scope` shares work
   * between the recognizers of one text (anchor words, windows around digits).
   */
  scan(text: string, out: Finding[], scope?: TextScope): void;
}

/** Runs a global regex over `text`, calling `onMatch` for each match (sticky `lastIndex` handled). */
export function eachMatch(pattern: RegExp, text: string, onMatch: (match: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    onMatch(match);
    if (match[0].length === 0) pattern.lastIndex++;
  }
}

/**
 * A sticky (`y`) pattern tried at each of `starts` (ascending) as a global scan would try them:
 * a start inside an earlier match is skipped. Exact when every match begins at one of `starts`.
 */
export function eachMatchAt(
  pattern: RegExp,
  text: string,
  starts: readonly number[],
  onMatch: (match: RegExpExecArray) => void,
): void {
  let resume = 0;
  for (const start of starts) {
    if (start < resume) continue;
    pattern.lastIndex = start;
    const match = pattern.exec(text);
    if (!match) continue;
    resume = start + Math.max(1, match[0].length);
    onMatch(match);
  }
}

/** A stretch of a text and its offset in it. */
export interface Window {
  start: number;
  text: string;
}

/**
 * Merged windows around `spans` ([start, end) pairs, ascending by start), each widened by
 * `margin` and then out to the nearest boundary character (`isBoundary`), at most `reach`
 * further. A window then starts just after a boundary character and ends just before one, so a
 * pattern whose matches cannot contain such a character, and whose lookarounds treat it as they
 * treat the end of the text, finds in the windows exactly what it finds in the whole text.
 */
export function windowsAround(
  text: string,
  spans: Iterable<readonly [number, number]>,
  margin: number,
  isBoundary: (code: number) => boolean,
  reach = 4096,
): Window[] {
  const ranges: [number, number][] = [];
  for (const [spanStart, spanEnd] of spans) {
    let start = Math.max(0, spanStart - margin);
    const lowest = Math.max(0, start - reach);
    while (start > lowest && !isBoundary(text.charCodeAt(start - 1))) start--;
    let end = Math.min(text.length, spanEnd + margin);
    const highest = Math.min(text.length, end + reach);
    while (end < highest && !isBoundary(text.charCodeAt(end))) end++;
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  return ranges.map(([start, end]) => ({ start, text: text.slice(start, end) }));
}

/** Runs a global `pattern` over each window; match indexes are offsets in the whole text. */
export function eachMatchIn(
  pattern: RegExp,
  windows: readonly Window[],
  onMatch: (match: RegExpExecArray) => void,
): void {
  for (const window of windows) {
    eachMatch(pattern, window.text, (match) => {
      match.index += window.start;
      onMatch(match);
    });
  }
}

/** `[index, index + 1]` for each position: windows around single positions. */
export function pointSpans(positions: readonly number[], length = 1): [number, number][] {
  return positions.map((position) => [position, position + length]);
}

export function digitsOf(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) out += text[i];
  }
  return out;
}
