/**
 * @module prompts/compare
 * Side-by-side comparison: prompt variants (columns; each variant × each model when `models` is
 * given) over inputs (rows). Every cell is an ordinary recorded run; cells run concurrently up to
 * a limit, so the wall time is bounded by the slowest model rather than the sum. A failing cell
 * (a missing variable in one row, a model that is down) is reported in place, not as a failure of
 * the whole comparison. Each column is an evaluation run: with references (given per row, or a
 * stored dataset's) it carries quality metrics with intervals, and each column's difference from
 * the first gets a significance test (`compare-evaluation.ts`).
 */

import type { z } from 'zod';
import type {
  CompareCell,
  CompareEvent,
  CompareResult,
  compareColumnSchema,
  PromptParameters,
  TemplateBody,
} from '../api/prompts.js';
import { KeelError, toKeelError } from '../core/errors.js';
import {
  type CompareRows,
  type CompareRowsRequest,
  columnSignificance,
  compareRows,
  recordColumns,
} from './compare-evaluation.js';
import { limitConcurrency } from './limit-concurrency.js';
import type { Caller, PromptLab, ResolvedSource } from './prompt-lab.js';
import { runPrompt } from './prompt-runner.js';

/** Variants × models over rows (`CompareRowsRequest`: inputs with references, or a dataset). */
export interface CompareInput extends CompareRowsRequest {
  variants: {
    name?: string | undefined;
    prompt?: string | undefined;
    template?: TemplateBody | undefined;
    model?: string | undefined;
    parameters?: PromptParameters | undefined;
  }[];
  models?: string[] | undefined;
  concurrency?: number | undefined;
  session_id?: string | undefined;
}

type Column = z.infer<typeof compareColumnSchema>;

export interface ComparePlan {
  columns: Column[];
  inputs: Record<string, unknown>[];
  run(onCell?: (cell: CompareCell) => void): Promise<CompareResult>;
}

/** Most cells one comparison may hold. */
export const MAX_COMPARE_CELLS = 500;
export const DEFAULT_COMPARE_CONCURRENCY = 4;

/** Resolves the variants and lays out the grid; problems with the request itself throw here. */
export async function planCompare(lab: PromptLab, caller: Caller, input: CompareInput): Promise<ComparePlan> {
  const sessionId = input.session_id ?? null;
  if (sessionId) await lab.sessions.assertWritable(caller.projectId, caller.actor, sessionId);
  const sources: ResolvedSource[] = await Promise.all(
    input.variants.map((variant) => lab.source(caller.projectId, variant)),
  );
  const columns: (Column & { source: ResolvedSource; parameters: PromptParameters | undefined })[] = [];
  input.variants.forEach((variant, index) => {
    const source = sources[index]!;
    if (input.models && variant.model) {
      throw new KeelError(
        'invalid_request',
        'Give models either per variant or in `models` for all, not both.',
        {
          issues: [
            { code: 'conflict', path: ['variants', index, 'model'], message: 'conflicts with models' },
          ],
        },
      );
    }
    const models = input.models ?? [variant.model ?? source.compiled.body.model_id];
    for (const model of models) {
      if (!model) {
        throw new KeelError(
          'invalid_request',
          `Variant ${index + 1} has no model: its template binds none; give one.`,
          {
            issues: [
              {
                code: 'missing_model',
                path: ['variants', index, 'model'],
                message: 'required when the template has no model_id',
              },
            ],
          },
        );
      }
      columns.push({
        index: columns.length,
        variant: variant.name ?? variant.prompt ?? `variant ${index + 1}`,
        model,
        template: source.template ? { name: source.template.name, version: source.template.version } : null,
        source,
        parameters: variant.parameters,
      });
    }
  });
  const rows: CompareRows = await compareRows(lab, caller, input);
  const inputs = rows.inputs;
  if (inputs.length * columns.length > MAX_COMPARE_CELLS) {
    throw new KeelError(
      'invalid_request',
      `${inputs.length} inputs × ${columns.length} columns is more than ${MAX_COMPARE_CELLS} runs; split the comparison.`,
      {
        issues: [{ code: 'too_big', path: ['inputs'], message: `at most ${MAX_COMPARE_CELLS} cells` }],
      },
    );
  }
  const concurrency = input.concurrency ?? DEFAULT_COMPARE_CONCURRENCY;
  const publicColumns = columns.map(({ source: _source, parameters: _parameters, ...column }) => column);

  return {
    columns: publicColumns,
    inputs,
    async run(onCell) {
      const limit = limitConcurrency(concurrency);
      const started = performance.now();
      const rowCells = await Promise.all(
        inputs.map((variables, row) =>
          Promise.all(
            columns.map((column) =>
              limit(async () => {
                const cell = await runCell(lab, caller, row, column, variables, sessionId);
                onCell?.(cell);
                return cell;
              }),
            ),
          ),
        ),
      );
      const wallMs = performance.now() - started;
      const recorded = await recordColumns(lab, caller, publicColumns, rows, rowCells);
      const scored = (cells: CompareCell[]) =>
        cells.map((cell) => {
          const scores = recorded[cell.column]?.perItem[cell.row];
          return scores ? { ...cell, scores } : cell;
        });
      return {
        columns: publicColumns,
        rows: inputs.map((variables, row) => ({
          variables,
          ...(rows.references ? { references: rows.references[row]! } : {}),
          cells: scored(rowCells[row]!),
        })),
        summary: publicColumns.map((column) => {
          const run = recorded[column.index];
          return {
            ...summarise(
              column.index,
              rowCells.map((cells) => cells[column.index]!),
            ),
            run_id: run?.id ?? null,
            ...(run ? { metrics: run.aggregates } : {}),
          };
        }),
        concurrency,
        wall_ms: wallMs,
        metrics: rows.metrics,
        dataset: rows.dataset ? { name: rows.dataset.name, version: rows.dataset.version } : null,
        significance: await columnSignificance(lab, caller, recorded),
      };
    },
  };
}

async function runCell(
  lab: PromptLab,
  caller: Caller,
  row: number,
  column: Column & { source: ResolvedSource; parameters: PromptParameters | undefined },
  variables: Record<string, unknown>,
  sessionId: string | null,
): Promise<CompareCell> {
  try {
    const run = await runPrompt(
      lab,
      { ...caller, endpoint: '/api/v1/compare' },
      {
        source: column.source,
        variables,
        model: column.model,
        parameters: column.parameters,
        sessionId,
      },
    );
    return {
      row,
      column: column.index,
      run_id: run.id,
      status: 'ok',
      output: run.output,
      ...('json' in run ? { json: run.json } : {}),
      ...(run.issues ? { issues: run.issues } : {}),
      finish_reason: run.finish_reason,
      usage: run.usage,
      latency_ms: run.latency_ms,
      cost: run.cost,
      error: null,
    };
  } catch (error) {
    const keelError = toKeelError(error);
    const runId = keelError.data?.runId;
    return {
      row,
      column: column.index,
      run_id: typeof runId === 'string' ? runId : null,
      status: 'error',
      output: '',
      ...(keelError.issues ? { issues: keelError.issues } : {}),
      finish_reason: null,
      usage: { input_tokens: 0, output_tokens: 0 },
      latency_ms: 0,
      cost: null,
      error: { code: keelError.code, message: keelError.message },
    };
  }
}

function summarise(column: number, cells: CompareCell[]): CompareResult['summary'][number] {
  const ok = cells.filter((cell) => cell.status === 'ok');
  const latencies = ok.map((cell) => cell.latency_ms).sort((a, b) => a - b);
  const priced = ok.filter((cell) => cell.cost !== null);
  return {
    column,
    ok: ok.length,
    errors: cells.length - ok.length,
    input_tokens: ok.reduce((sum, cell) => sum + cell.usage.input_tokens, 0),
    output_tokens: ok.reduce((sum, cell) => sum + cell.usage.output_tokens, 0),
    latency_ms_p50: latencies.length ? latencies[Math.floor((latencies.length - 1) / 2)]! : 0,
    latency_ms_max: latencies.at(-1) ?? 0,
    cost: priced.length ? priced.reduce((sum, cell) => sum + cell.cost!.total, 0) : null,
  };
}

/** The comparison as events: the columns, each cell as it completes, then the whole result. */
export async function* compareEvents(plan: ComparePlan): AsyncGenerator<CompareEvent> {
  const ready: CompareCell[] = [];
  let wake: (() => void) | undefined;
  let outcome: { result: CompareResult } | { error: unknown } | undefined;
  const running = plan.run((cell) => {
    ready.push(cell);
    wake?.();
  });
  running.then(
    (result) => {
      outcome = { result };
      wake?.();
    },
    (error: unknown) => {
      outcome = { error };
      wake?.();
    },
  );
  yield { type: 'start', columns: plan.columns, cells: plan.columns.length * plan.inputs.length };
  for (;;) {
    while (ready.length) yield { type: 'cell', cell: ready.shift()! };
    if (outcome) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  while (ready.length) yield { type: 'cell', cell: ready.shift()! };
  if ('result' in outcome) yield { type: 'result', result: outcome.result };
  else {
    const error = toKeelError(outcome.error);
    yield { type: 'error', error: { code: error.code, message: error.message, status: error.status } };
  }
}
