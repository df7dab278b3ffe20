/**
 * @module evals/runs/run-types
 * What a run evaluates (`target.kind`: a template version, a RAG collection configuration, a model
 * with a raw prompt; a deployment later), on which dataset items, with which metrics and
 * thresholds; and the shapes of its stored results.
 */
import type { PromptParameters } from '../../api/prompts.js';

export type RunTarget =
  | {
      kind: 'template';
      /** A stored template reference: name, name@3 or name@label (pinned to a version when the run is created). */
      prompt: string;
      model?: string | undefined;
      parameters?: PromptParameters | undefined;
    }
  | {
      kind: 'rag';
      collection: string;
      /** The input column holding the question (default: the first input column). */
      question_column?: string | undefined;
      model?: string | undefined;
      top_k?: number | undefined;
      mode?: 'hybrid' | 'keyword' | 'vector' | undefined;
      /** The configuration version answered with (default: the current one when the run is created). */
      config_version?: number | undefined;
    }
  | {
      kind: 'model';
      model: string;
      /** Prompt text with `{{column}}` placeholders (default: the first input column as is). */
      prompt?: string | undefined;
      parameters?: PromptParameters | undefined;
    }
  | { kind: 'deployment'; deployment: string };

export interface Threshold {
  metric: string;
  min?: number | undefined;
  max?: number | undefined;
}

export interface RunOptions {
  /** Items generated at once (default 4). */
  concurrency?: number | undefined;
  /** Per-item time limit for the target's call, in ms. */
  item_timeout_ms?: number | undefined;
  /** The judge model for LLM-judged metrics; without one they fall back to `<metric>_lexical`. */
  judge_model?: string | undefined;
  /** Reuse cached outputs (default true). */
  cache?: boolean | undefined;
  bootstrap_seed?: number | undefined;
  /** Options the registry metrics were computed with (recorded runs: `k` for retrieval). */
  metric_options?: Record<string, unknown> | undefined;
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  confidence: number;
}

export interface MetricAggregate {
  metric: string;
  /** The metric's score (corpus-level where the metric defines one); failed items count as its worst value. */
  score: number;
  ci: Interval | null;
  /** Items scored (succeeded). */
  n: number;
  higher_is_better: boolean;
  details?: Record<string, unknown> | undefined;
}

export interface ThresholdResult extends Threshold {
  value: number | null;
  passed: boolean;
}

export interface RunAggregates {
  metrics: Record<string, MetricAggregate>;
  thresholds: ThresholdResult[];
  items: { total: number; succeeded: number; failed: number; cached: number };
  /** Failure codes and how often. */
  failures: Record<string, number>;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunRow {
  id: string;
  project_id: string;
  name: string | null;
  job_id: string | null;
  target: RunTarget & { resolved?: Record<string, unknown> };
  dataset_id: string;
  dataset_version: number;
  ordinals: number[];
  metrics: string[];
  thresholds: Threshold[];
  options: RunOptions;
  status: RunStatus;
  aggregates: RunAggregates | null;
  passed: boolean | null;
  error: { code: string; message: string } | null;
  created_by: string | null;
  created_at: Date;
  finished_at: Date | null;
  /** A recorded run: the producing feature's id (an experiment, a comparison) and the cell it covers. */
  source_id?: string | null;
  source_cell?: string | null;
}

export interface RunItemRow {
  run_id: string;
  ordinal: number;
  status: 'succeeded' | 'failed';
  output: string | null;
  scores: Record<string, number>;
  error: { code: string; message: string } | null;
  latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: number | null;
  cached: boolean;
  created_at: Date;
}

/** What a target produced for one item. */
export interface TargetOutput {
  text: string;
  /** Passages the answer used (RAG targets). */
  contexts?: string[] | undefined;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}
