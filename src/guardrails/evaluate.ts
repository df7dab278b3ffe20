/**
 * @module guardrails/evaluate
 * Applies a policy to one text in one direction: runs the enabled detectors, keeps the spans
 * over their thresholds, and decides — block the text, mask or pseudonymise spans, or only flag.
 * Returns the text to use instead and one decision per span; a decision records a keyed hash of
 * the span, never its value.
 */

import { createHmac } from 'node:crypto';
import type { DetectMode, Span } from '../spec/detector.js';
import { assertCheckable, type DetectorName, detector, wellFormed } from './detectors.js';
import { piiEntityTypes } from './pii/pii-detector.js';
import { type DirectionPolicy, type GuardAction, ruleFor } from './policy.js';
import { type Pseudonymizer, placeholderLabel } from './pseudonymizer.js';
import { createTextScope } from './text/text-scope.js';

export const INPUT_REJECTED = '[The input was rejected as inappropriate]';
export const OUTPUT_REMOVED = '[Potentially harmful text removed]';

export interface Decision {
  detector: string;
  version: string;
  type: string;
  score: number;
  action: GuardAction;
  start: number;
  end: number;
  /** HMAC-SHA256 of the span text with the server key: recognises repeats, reveals nothing. */
  spanHash: string;
  direction: 'input' | 'output';
}

export interface Evaluation {
  /** The text to pass on (masked, pseudonymised or replaced); the input text when nothing applied. */
  text: string;
  blocked: boolean;
  decisions: Decision[];
  /** Spans that passed their thresholds, with the action taken. */
  spans: (Span & { action: GuardAction })[];
}

export interface EvaluateOptions {
  direction: 'input' | 'output';
  mode?: DetectMode;
  /** Key for span hashes (the server's); a fixed key is used when absent (tests, CLI). */
  hashKey?: Buffer;
  pseudonymizer?: Pseudonymizer;
  /** Spans from model-backed detectors (the optional NER model and HAP classifier), found before this call. */
  extraSpans?: readonly Span[];
}

const piiTypes = new Set(piiEntityTypes);

const defaultHashKey = Buffer.from('keel-guardrails-span-hash');

export function hashSpan(value: string, key: Buffer = defaultHashKey): string {
  return createHmac('sha256', key).update(value).digest('hex').slice(0, 32);
}

export function evaluate(input: string, policy: DirectionPolicy, options: EvaluateOptions): Evaluation {
  assertCheckable(input);
  const text = wellFormed(input);
  const kept: (Span & { action: GuardAction })[] = [];
  // The detectors share one anchor-word scan of the text.
  const scope = createTextScope(text);
  for (const name of ['injection', 'hap', 'pii'] as DetectorName[]) {
    if (!policy[name].enabled) continue;
    const spans = detector(name).detect(text, {
      mode: options.mode ?? (options.direction === 'input' ? 'prompt' : 'output'),
      scope,
    }) as Span[];
    for (const span of spans) {
      const rule = ruleFor(policy, name, span.type);
      if (!rule.enabled || span.score < rule.threshold) continue;
      kept.push({ ...span, action: rule.action });
    }
  }
  for (const span of options.extraSpans ?? []) {
    // A trained head named by the policy: its own threshold and action.
    const head = span.detector.startsWith('head:')
      ? policy.heads?.find((h) => h.model === span.detector)
      : undefined;
    if (head) {
      if (span.score >= head.threshold && span.end <= text.length)
        kept.push({ ...span, action: head.action });
      continue;
    }
    const family = piiTypes.has(span.type) ? 'pii' : 'hap';
    if (!policy[family].enabled || span.end > text.length) continue;
    const rule = ruleFor(policy, family, span.type);
    if (!rule.enabled || span.score < rule.threshold) continue;
    // What the rules found already is not counted twice.
    if (kept.some((other) => other.type === span.type && other.start < span.end && span.start < other.end))
      continue;
    kept.push({ ...span, action: rule.action });
  }
  const decisions = kept.map((span) => ({
    detector: span.detector,
    version: span.version,
    type: span.type,
    score: span.score,
    action: span.action,
    start: span.start,
    end: span.end,
    spanHash: hashSpan(text.slice(span.start, span.end), options.hashKey),
    direction: options.direction,
  }));
  const blocked = options.direction === 'input' && kept.some((span) => span.action === 'block');
  if (blocked) return { text: INPUT_REJECTED, blocked, decisions, spans: kept };
  return { text: rewrite(text, kept, options), blocked: false, decisions, spans: kept };
}

/** Applies the span actions right to left so earlier offsets stay valid. */
function rewrite(text: string, spans: (Span & { action: GuardAction })[], options: EvaluateOptions): string {
  const sorted = spans
    .filter((span) => span.action !== 'flag')
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // A span overlapping an earlier, wider one (a PII span inside a removed sentence) is covered by it.
  const edits: typeof sorted = [];
  for (const span of sorted) if (!edits.length || span.start >= edits.at(-1)!.end) edits.push(span);
  let out = text;
  for (const span of [...edits].reverse()) {
    const value = text.slice(span.start, span.end);
    let replacement: string;
    // PII (from the rules or a NER model) is masked or pseudonymised; anything else is removed.
    if (!piiTypes.has(span.type) || span.action === 'block') replacement = OUTPUT_REMOVED;
    else if (span.action === 'pseudonymise' && options.pseudonymizer)
      replacement = options.pseudonymizer.placeholderFor(span.type, value);
    else replacement = `[${placeholderLabel(span.type)}]`;
    out = out.slice(0, span.start) + replacement + out.slice(span.end);
  }
  return out;
}
