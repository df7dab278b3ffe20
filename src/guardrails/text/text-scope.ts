/**
 * @module guardrails/text/text-scope
 * The `TextScope` of the detector port: results about one text (anchor-word hits, windows)
 * computed once and shared by every recognizer and detector that asks for them.
 */
import type { TextScope } from '../../spec/detector.js';

class Scope implements TextScope {
  private readonly results = new Map<(text: string) => unknown, unknown>();

  constructor(readonly text: string) {}

  memo<T>(compute: (text: string) => T): T {
    if (!this.results.has(compute)) this.results.set(compute, compute(this.text));
    return this.results.get(compute) as T;
  }
}

export function createTextScope(text: string): TextScope {
  return new Scope(text);
}

/** `scope` when it is about `text`, else a fresh scope (a detector or recognizer run alone). */
export function scopeFor(text: string, scope: TextScope | undefined): TextScope {
  return scope?.text === text ? scope : new Scope(text);
}
