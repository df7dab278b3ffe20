/**
 * @module models/providers/shared/sse-parser
 * An incremental Server-Sent Events parser (WHATWG HTML §9.2.6): lines end with LF, CR or CRLF —
 * even when the CR and the LF arrive in different chunks — `:` lines are comments, repeated
 * `data:` lines join with LF, and a blank line dispatches the event. It works on decoded text, so
 * a multi-byte character split across network chunks is the decoder's business, not this one's.
 */
import type { PushParser } from './stream-runner.js';

export interface SseEvent {
  /** `message` unless the server named the event. */
  event: string;
  data: string;
  id?: string;
}

export class SseParser implements PushParser<SseEvent> {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  // A chunk that ended in CR: a LF at the start of the next chunk belongs to the same line break.
  #skipLeadingLF = false;

  /** Feeds decoded text; returns the events it completed (often none or one). */
  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let chunk = text;
    if (this.#skipLeadingLF) {
      this.#skipLeadingLF = false;
      if (chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    }
    let buffer = this.#buffer ? this.#buffer + chunk : chunk;
    let start = 0;
    const length = buffer.length;
    for (let index = 0; index < length; index++) {
      const code = buffer.charCodeAt(index);
      if (code !== 10 && code !== 13) continue;
      this.#line(buffer.slice(start, index), events);
      if (code === 13) {
        if (index + 1 < length) {
          if (buffer.charCodeAt(index + 1) === 10) index++;
        } else {
          this.#skipLeadingLF = true;
        }
      }
      start = index + 1;
    }
    buffer = start < length ? buffer.slice(start) : '';
    this.#buffer = buffer;
    return events;
  }

  /**
   * The stream ended. A last event without its blank line is still dispatched: some servers end
   * the body right after the final `data:` line.
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.#buffer) {
      this.#line(this.#buffer, events);
      this.#buffer = '';
    }
    this.#dispatch(events);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line.length === 0) {
      this.#dispatch(events);
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' starts a comment (keep-alive pings)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        // The spec ignores ids containing NUL.
        if (!value.includes('\u0000')) this.#id = value;
        break;
      default:
        // `retry` and unknown fields do not concern a one-shot reader.
        break;
    }
  }

  #dispatch(events: SseEvent[]): void {
    if (this.#data.length === 0) {
      this.#event = '';
      return;
    }
    const data = this.#data.length === 1 ? this.#data[0]! : this.#data.join('\n');
    events.push({
      event: this.#event || 'message',
      data,
      ...(this.#id !== undefined ? { id: this.#id } : {}),
    });
    this.#data = [];
    this.#event = '';
  }
}
