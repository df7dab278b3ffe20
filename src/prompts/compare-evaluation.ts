/**
 * @module prompts/compare-evaluation
 * A comparison's columns as evaluation runs. The rows are the given inputs (with their references,
 * when given) or a stored evaluation dataset's items; the quality metrics are checked by the
 * evaluation module before any model is called; each column is recorded as a run over the rows,
 * scored by the evaluation module's metric code (bootstrap intervals, a failed cell at the
 * metric's worst value) beside latency, tokens and cost; and each column is compared with the
 * first by the evaluation run comparison (paired over the rows: they are one dataset version).
 */
import type { CompareResult, CompareSignificance } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { EvaluationRecorderV1, RecordedRunV1 } from '../spec/evaluation-recorder.js';
import type { Caller, PromptLab } from './prompt-lab.js';

/** The metrics every column is recorded with. */
export const COMPARE_METRICS = ['latency', 'tokens', 'cost'];
/** Quality metrics when references are given and none are named. */
export const DEFAULT_QUALITY_METRICS = ['exact_match', 'f1', 'rougeL', 'chrf'];
/** Items read from a dataset when no limit is given (the most `inputs` may hold). */
export const DATASET_ROWS = 100;

/** The rows of a comparison request: inputs with references, or a dataset; and the quality metrics. */
export interface CompareRowsRequest {
  inputs?: Record<string, unknown>[] | undefined;
  /** Accepted outputs per row of `inputs`, for the quality metrics. */
  references?: (string | string[])[] | undefined;
  /** Rows from a stored evaluation dataset instead of `inputs`. */
  dataset?: { name: string; version?: number | undefined; limit?: number | undefined } | undefined;
  /** Quality metrics of the evaluation metric registry. */
  metrics?: string[] | undefined;
}

/** What the comparison runs and how its columns are scored. */
export interface CompareRows {
  inputs: Record<string, unknown>[];
  /** Accepted outputs per row (absent: no quality metrics). */
  references: string[][] | undefined;
  /** The stored dataset the rows are, with each row's item ordinal. */
  dataset: { name: string; version: number; ordinals: number[] } | null;
  /** Quality metrics, checked by the evaluation module. */
  metrics: string[];
}

const invalid = (message: string, path: (string | number)[], code: string): KeelError =>
  new KeelError('invalid_request', message, { issues: [{ code, path, message }] });

function recorderFor(lab: PromptLab, path: string): EvaluationRecorderV1 {
  if (lab.evaluations) return lab.evaluations;
  throw invalid('Scoring a comparison needs the evaluation module.', [path], 'evaluations_unavailable');
}

/** The rows and metrics of a comparison; a request that cannot be scored is refused here, before anything runs. */
export async function compareRows(
  lab: PromptLab,
  caller: Caller,
  input: CompareRowsRequest,
): Promise<CompareRows> {
  if (input.dataset && (input.inputs || input.references))
    throw invalid(
      'Give rows as `inputs` (with `references`) or as a `dataset`, not both.',
      ['dataset'],
      'conflict',
    );
  if (input.references && !input.inputs)
    throw invalid('`references` go with `inputs`, one entry per row.', ['references'], 'missing_inputs');
  if (input.references && input.references.length !== input.inputs!.length)
    throw invalid(
      `${input.references.length} references for ${input.inputs!.length} inputs: give one entry per row.`,
      ['references'],
      'length_mismatch',
    );
  if (input.metrics && !input.references && !input.dataset)
    throw invalid(
      'Quality metrics need references: give `references` with the inputs, or a `dataset`.',
      ['metrics'],
      'missing_references',
    );
  const scored = Boolean(input.references || input.dataset);
  const metrics = input.metrics ?? (scored ? DEFAULT_QUALITY_METRICS : []);
  if (scored) recorderFor(lab, input.dataset ? 'dataset' : 'references').checkOutputMetrics(metrics);
  if (!input.dataset) {
    return {
      inputs: input.inputs ?? [{}],
      references: input.references?.map((entry) => (typeof entry === 'string' ? [entry] : entry)),
      dataset: null,
      metrics,
    };
  }
  const stored = await recorderFor(lab, 'dataset').datasetItems(caller.projectId, {
    name: input.dataset.name,
    version: input.dataset.version,
    limit: input.dataset.limit ?? DATASET_ROWS,
  });
  if (!stored.items.length)
    throw invalid(`Dataset ${stored.name}@${stored.version} has no items.`, ['dataset'], 'empty_dataset');
  return {
    inputs: stored.items.map((item) => item.input),
    references: stored.items.map((item) => item.references),
    dataset: {
      name: stored.name,
      version: stored.version,
      ordinals: stored.items.map((item) => item.ordinal),
    },
    metrics,
  };
}

type Column = CompareResult['columns'][number];
type Cell = CompareResult['rows'][number]['cells'][number];

/**
 * Each column as an evaluation run over the rows (one dataset version, so columns pair item by
 * item). Without the evaluation module (a bare Prompt Lab) nothing is recorded.
 */
export async function recordColumns(
  lab: PromptLab,
  caller: Caller,
  columns: readonly Column[],
  rows: CompareRows,
  rowCells: readonly Cell[][],
): Promise<(RecordedRunV1 | null)[]> {
  const recorder = lab.evaluations;
  if (!recorder) return columns.map(() => null);
  const comparison = newId('cmp');
  const recorded: RecordedRunV1[] = [];
  for (const column of columns) {
    recorded.push(
      await recorder.record({
        projectId: caller.projectId,
        actor: caller.actor,
        name: `compare ${column.variant} × ${column.model}`,
        source: { kind: 'prompts.compare', id: comparison },
        target: column.template
          ? {
              kind: 'template',
              prompt: `${column.template.name}@${column.template.version}`,
              model: column.model,
            }
          : { kind: 'model', model: column.model, prompt: column.variant },
        // On a stored dataset the run sits on its version (scored against its references, and
        // comparable with any run on it); otherwise the rows become a version of their own.
        dataset: rows.dataset
          ? { name: rows.dataset.name, version: rows.dataset.version }
          : { name: 'prompt-lab-compare', description: 'Inputs of Prompt Lab comparisons.' },
        metrics: [...rows.metrics, ...COMPARE_METRICS],
        items: rows.inputs.map((variables, row) => {
          const cell = rowCells[row]![column.index]!;
          const references = rows.references?.[row];
          return {
            input: variables,
            ...(rows.dataset ? { ordinal: rows.dataset.ordinals[row]! } : {}),
            ...(references?.length ? { references } : {}),
            output: cell.status === 'ok' ? cell.output : null,
            error: cell.error,
            latencyMs: cell.latency_ms,
            inputTokens: cell.usage.input_tokens,
            outputTokens: cell.usage.output_tokens,
            cost: cell.cost?.total ?? null,
          };
        }),
      }),
    );
  }
  return recorded;
}

/** Each column after the first against the first: the evaluation run comparison, metric by metric. */
export async function columnSignificance(
  lab: PromptLab,
  caller: Caller,
  recorded: readonly (RecordedRunV1 | null)[],
): Promise<CompareSignificance[]> {
  const recorder = lab.evaluations;
  const baseline = recorded[0];
  if (!recorder || !baseline) return [];
  const out: CompareSignificance[] = [];
  for (const [column, run] of recorded.entries()) {
    if (column === 0 || !run) continue;
    out.push({ column, baseline: 0, metrics: await recorder.compare(caller.projectId, baseline.id, run.id) });
  }
  return out;
}
