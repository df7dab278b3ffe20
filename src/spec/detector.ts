/**
 * @module spec/detector
 * The detector port, version 1: text in, scored spans out. One port for the three guardrail
 * families — PII (entities such as `EMAIL_ADDRESS` or `KR_RRN`), HAP (hate, abuse, profanity
 * scored per sentence) and prompt injection — so policies, decision records and benchmarks treat
 * every detector alike, whether it is a pure TypeScript rule set or an optional ONNX model.
 *
 * Offsets are UTF-16 code-unit offsets into the text exactly as the caller passed it
 * (`text.slice(span.start, span.end)`), even when a detector normalises the text internally
 * (zero-width characters removed, full-width forms folded, Hangul recomposed).
 */

export type DetectorKind = 'pii' | 'hap' | 'injection';

/** Where the text comes from: a user prompt, a model's output, or a document being ingested for RAG. */
export type DetectMode = 'prompt' | 'output' | 'document';

export interface DetectOptions {
  /** Language hint (`ko`, `en`); detectors handle both languages when absent. */
  language?: 'ko' | 'en';
  /** `document` switches injection detection to indirect mode (instructions addressed to an AI inside content). */
  mode?: DetectMode;
  /** Include the matched text in each span (off by default so values do not leak into logs). */
  includeText?: boolean;
  abortSignal?: AbortSignal;
  /**
   * Work shared by the detectors that examine the same text (one anchor-word scan, character
   * maps): the caller running several detectors over one text passes one scope to each. A scope
   * whose `text` is not the text being detected is ignored.
   */
  scope?: TextScope;
}

/** Per-text results computed once, by whichever detector needs them first. */
export interface TextScope {
  readonly text: string;
  /** `compute(text)`, computed on the first call with this function and remembered. */
  memo<T>(compute: (text: string) => T): T;
}

export interface Span {
  /** Entity type (`EMAIL_ADDRESS`, `KR_RRN`) or category (`hate`, `abuse`, `profanity`, `prompt_injection`). */
  type: string;
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
  /** Confidence 0..1. PII convention: 0.5 = pattern only, 1.0 = checksum valid; context words raise it. */
  score: number;
  /** Name and version of the detector that produced the span. */
  detector: string;
  version: string;
  /** The matched text, only when `includeText` was requested. */
  text?: string;
  /** Score before context enhancement (pattern or checksum level), when it differs from `score`. */
  baseScore?: number;
  /** Short machine-readable reasons (`checksum_valid`, `context`, `evasion`, `quoted`); never raw values. */
  reasons?: string[];
}

export interface DetectorV1 {
  readonly specificationVersion: 'v1';
  /** Stable name used in policies (`pii`, `hap`, `injection`, `onnx-ner`). */
  readonly name: string;
  /** Rule-set or model version, recorded with every decision. */
  readonly version: string;
  readonly kind: DetectorKind;
  /** Every `type` this detector can emit. */
  readonly entityTypes: readonly string[];
  /**
   * Spans found in `text`, sorted by start offset. Built-in detectors are synchronous; model-backed
   * ones return a promise. Must not throw on any string (empty, lone surrogates, megabytes):
   * size limits are enforced by the caller before detection.
   */
  detect(text: string, options?: DetectOptions): Span[] | Promise<Span[]>;
}

/** A detector that answers synchronously (the built-in rule sets). */
export interface SyncDetectorV1 extends DetectorV1 {
  detect(text: string, options?: DetectOptions): Span[];
}
