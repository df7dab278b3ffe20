/**
 * @module tuning/prompt-optimisation/prompt-job
 * The `tuning.prompt` job's request, result and trace, the call-and-token budget it spends, and
 * `loadSearch`: the checks a request passes before it is queued (and again in the job) — the
 * template and its model, the dataset version with a labelled dev split, the metric, the budget.
 */
import type { PromptTemplate, TemplateBody } from '../../api/prompts.js';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import {
  checkMetrics,
  type EvalService,
  metricInfo,
  type StoredItem,
  type Threshold,
} from '../../evals/index.js';
import type { JobService } from '../../jobs/index.js';
import type { PromptLab } from '../../prompts/index.js';
import { seededRandom, shuffleInPlace } from '../seeded-random.js';
import type { HeadGovernance } from '../tuned-governance.js';
import type { FormatConstraint } from './candidates.js';

export const PROMPT_JOB = 'tuning.prompt';

export interface PromptJobPayload {
  /** The template: `name`, `name@3` or `name@label`. */
  template: string;
  dataset: string;
  datasetVersion?: number | undefined;
  metric: string;
  budget: { calls: number; tokens: number };
  seed?: number | undefined;
  /** The model to optimise for (the template's by default). */
  model?: string | undefined;
  /** Instruction variants written by a person. */
  instructions?: string[] | undefined;
  /** How many instruction variants the model proposes (default 2). */
  proposeInstructions?: number | undefined;
  /**
   * Few-shot sizes to try (default [3]; [] tries none), each as one fixed set and (unless
   * `perInput` is false) as examples retrieved per input.
   */
  fewShot?:
    | { k?: number[] | undefined; diversity?: number | undefined; perInput?: boolean | undefined }
    | undefined;
  /** Combinations of instruction × few-shot × format tried after the greedy pass (default 3; 0 skips). */
  joint?: number | undefined;
  /** Thresholds the stored evaluation runs are checked against. */
  thresholds?: Threshold[] | undefined;
  /** Register the saved version in this governance use case (it then needs approval for production). */
  governance?: { useCaseId: string } | undefined;
  /** Output-format constraints to try (default: the label set, or a short answer). */
  formats?: FormatConstraint[] | undefined;
  trainSplit?: string | undefined;
  /**
   * A held-out split the untuned template and the winner are scored on after the search (their
   * stored runs then sit on it, not on the dev items the winner was chosen on); its calls are
   * kept aside from the start.
   */
  testSplit?: string | undefined;
  devSplit?: string | undefined;
  /** Most dev items scored per candidate (default 20). */
  devSize?: number | undefined;
  /** The template's latest version when the job was asked for (set by `start`): the winner is saved on it, or not at all. */
  latestVersion?: number | undefined;
}

export interface TraceEntry {
  id: string;
  kind: 'baseline' | 'instruction' | 'few_shot' | 'format' | 'joint';
  /** What changed against the candidate it built on. */
  detail: Record<string, unknown>;
  /** The candidate it built on. */
  parent: string | null;
  /** `scored`, or `incomplete` when the budget ran out on the way (it cannot win). */
  status: 'scored' | 'incomplete';
  score: number | null;
  calls: number;
  tokens: number;
  failedItems: number;
}

export interface PromptJobResult {
  template: { name: string; baseVersion: number; savedVersion: number | null };
  model: string;
  metric: string;
  dataset: { name: string; version: number; dev: number; train: number };
  baseline: number;
  best: { id: string; score: number; ci: { low: number; high: number } | null; n: number };
  improved: boolean;
  spent: { calls: number; tokens: number; proposalCalls: number };
  budget: { calls: number; tokens: number };
  stopped: 'done' | 'budget';
  trace: TraceEntry[];
  body: TemplateBody;
  /** Few-shot examples the winner retrieves per input (its body holds none of them). */
  retrieval: { k: number; diversity: number; pool: string } | null;
  /** The stored evaluation runs of the untuned template and of the winner (the same run when nothing won). */
  evaluations: {
    baseline: string;
    winner: string;
    compare: string;
    /** Where the runs were scored: the held-out split (with both scores), or the dev items. */
    split: string;
    heldOut: { baseline: number | null; winner: number | null } | null;
  };
  /** The inventory asset of the saved version, when the job registered it in governance. */
  governanceAssetId: string | null;
}

export interface PromptSearchDeps {
  jobs: JobService;
  audit: AuditRecorder;
  prompts: PromptLab;
  evals: EvalService;
  /** Where a saved winner is registered with its lineage (a `governance` request needs it). */
  governance?: HeadGovernance | undefined;
}

export interface Loaded {
  template: PromptTemplate;
  model: string;
  datasetId: string;
  datasetName: string;
  version: number;
  /** The dataset version's content hash (lineage). */
  contentHash: string;
  train: StoredItem[];
  dev: StoredItem[];
  /** The held-out items (`testSplit`); empty without one. */
  test: StoredItem[];
  labels: string[];
}

export const invalid = (code: string, path: (string | number)[], message: string) =>
  new KeelError('invalid_request', message, { issues: [{ code, path, message }] });

export const DEV_NAMES = ['dev', 'validation', 'valid', 'val', 'test'];

/** The text an item shows as an example input and a similarity query: its input values. */
export function inputText(item: Pick<StoredItem, 'input'>): string {
  const values = Object.values(item.input);
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return values.length === 1 ? text(values[0]) : values.map(text).join('\n');
}

/** The expected output of an item: its label, else its first reference. */
export const expected = (item: StoredItem) => item.label ?? item.references[0] ?? null;

export class Budget {
  calls = 0;
  tokens = 0;
  /** Calls kept aside (the held-out scoring): the search cannot spend them. */
  reserved = 0;
  constructor(readonly limit: { calls: number; tokens: number }) {}
  canCall(): boolean {
    return this.calls < this.limit.calls - this.reserved && this.tokens < this.limit.tokens;
  }
  left(): number {
    return this.limit.calls - this.reserved - this.calls;
  }
}

/** Checks a request against what exists (template, dataset, labels, metric, budget). */
export async function loadSearch(
  deps: Pick<PromptSearchDeps, 'prompts' | 'evals' | 'governance'>,
  projectId: string,
  p: PromptJobPayload,
): Promise<Loaded> {
  if (!(p.budget.calls > 0) || !(p.budget.tokens > 0)) {
    throw invalid('budget_zero', ['budget'], 'The budget must allow at least one model call and one token.');
  }
  const info = metricInfo(p.metric);
  if (!info?.needsReferences || info.family === 'fairness') {
    throw invalid(
      'unsupported_metric',
      ['metric'],
      `${p.metric} is not a reference or label metric the search can maximise (e.g. accuracy, exact_match, f1, rouge_l).`,
    );
  }
  if (p.governance && !deps.governance) {
    throw invalid('no_governance', ['governance'], 'Governance is not available in this instance.');
  }
  if (p.governance) await deps.governance!.findUseCase(projectId, p.governance.useCaseId);
  const template = await deps.prompts.get(projectId, p.template).catch((error: unknown) => {
    if (error instanceof KeelError && error.code === 'not_found') {
      throw new KeelError('not_found', `No template ${p.template} in this project.`, {
        issues: [{ code: 'unknown_template', path: ['template'], message: p.template }],
      });
    }
    throw error;
  });
  const model = p.model ?? template.template.model_id;
  if (!model) throw invalid('missing_model', ['model'], 'The template binds no model; name one.');
  const store = deps.evals.datasets.store;
  const dataset = await store.get(projectId, p.dataset).catch((error: unknown) => {
    if (error instanceof KeelError && error.code === 'not_found') {
      throw new KeelError('not_found', `No dataset ${p.dataset} in this project.`, {
        issues: [{ code: 'unknown_dataset', path: ['dataset'], message: p.dataset }],
      });
    }
    throw error;
  });
  const version = await store.version(dataset, p.datasetVersion);
  const items = await store.items(dataset.id, version.version);
  const labelled = items.filter((item) => expected(item) !== null);
  if (labelled.length === 0) {
    throw new KeelError('invalid_dataset', `Dataset ${dataset.name} has no labels or reference outputs.`, {
      issues: [{ code: 'unlabelled_dataset', path: ['dataset'], message: 'no label or reference column' }],
    });
  }
  checkMetrics([p.metric], {
    labels: items.some((item) => item.label !== null),
    references: items.some((item) => item.references.length > 0),
  });
  const splits = new Set(labelled.map((item) => item.split));
  const devName = p.devSplit ?? DEV_NAMES.find((name) => splits.has(name));
  const trainName = p.trainSplit ?? 'train';
  let train = labelled.filter((item) => item.split === trainName);
  let dev = devName ? labelled.filter((item) => item.split === devName) : [];
  if (p.devSplit && dev.length === 0) {
    throw invalid(
      'unknown_split',
      ['dev_split'],
      `Dataset ${dataset.name} has no items in split ${p.devSplit}.`,
    );
  }
  if (dev.length === 0) {
    // No dev split: a seeded half of the non-train items (all items when there is no train split).
    const rest = shuffleInPlace(
      labelled.filter((item) => train.length === 0 || item.split !== trainName),
      seededRandom(p.seed ?? 0),
    );
    const half = Math.max(1, Math.floor(rest.length / 2));
    dev = rest.slice(0, half);
    if (train.length === 0) train = rest.slice(half);
  }
  const sample = (list: StoredItem[]) =>
    shuffleInPlace([...list], seededRandom(p.seed ?? 0))
      .slice(0, p.devSize ?? 20)
      .sort((a, b) => a.ordinal - b.ordinal);
  dev = sample(dev);
  let test: StoredItem[] = [];
  if (p.testSplit) {
    if (p.testSplit === trainName || dev.some((item) => item.split === p.testSplit)) {
      throw invalid(
        'same_split',
        ['test_split'],
        `The held-out split ${p.testSplit} must differ from the train and dev splits.`,
      );
    }
    test = sample(labelled.filter((item) => item.split === p.testSplit));
    if (test.length === 0) {
      throw invalid(
        'unknown_split',
        ['test_split'],
        `Dataset ${dataset.name} has no items in split ${p.testSplit}.`,
      );
    }
  }
  // The template once on the dev items, and the template and a winner on the held-out ones.
  const needed = dev.length + 2 * test.length;
  if (p.budget.calls < needed) {
    throw invalid(
      'budget_too_small',
      ['budget', 'calls'],
      `Scoring the template once takes ${needed} calls (the dev items${test.length ? ', and twice the held-out ones' : ''}); the budget allows ${p.budget.calls}.`,
    );
  }
  const labels = [...new Set(items.map((item) => item.label).filter((l): l is string => l !== null))].sort();
  return {
    template,
    model,
    datasetId: dataset.id,
    datasetName: dataset.name,
    version: version.version,
    contentHash: version.content_hash,
    train,
    dev,
    test,
    labels,
  };
}
