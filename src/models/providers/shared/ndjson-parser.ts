/**
 * @module models/providers/shared/ndjson-parser
 * An incremental newline-delimited JSON parser (Ollama's streaming format): one JSON value per
 * line, lines may be split anywhere across chunks, CRLF and blank lines are tolerated, and a last
 * line without its newline still counts.
 */
import type { PushParser } from './stream-runner.js';

export class NdjsonParser implements PushParser<unknown> {
  #buffer = '';

  /** Feeds decoded text; returns the values of the lines it completed. Throws on a malformed line. */
  push(text: string): unknown[] {
    const values: unknown[] = [];
    const buffer = this.#buffer ? this.#buffer + text : text;
    let start = 0;
    let newline = buffer.indexOf('\n', start);
    while (newline !== -1) {
      this.#line(buffer, start, newline, values);
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    this.#buffer = start < buffer.length ? buffer.slice(start) : '';
    return values;
  }

  /** The stream ended: parses a last line that had no newline. */
  end(): unknown[] {
    const values: unknown[] = [];
    if (this.#buffer) this.#line(this.#buffer, 0, this.#buffer.length, values);
    this.#buffer = '';
    return values;
  }

  #line(buffer: string, start: number, end: number, values: unknown[]): void {
    let stop = end;
    if (stop > start && buffer.charCodeAt(stop - 1) === 13) stop--;
    const line = buffer.slice(start, stop);
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line));
    } catch {
      throw new SyntaxError(`Malformed NDJSON line: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
    }
  }
}
