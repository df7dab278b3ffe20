/**
 * @module cli/commands/prompt-run
 * `keel prompt run` (a stored template by name, name@version or name@label, or `--text`; streamed
 * with `--stream`) and `keel prompt compare` (variants × models over inputs, with a progress bar
 * and the outputs side by side).
 */
import { readFile } from 'node:fs/promises';
import type { CompareResult, PromptRun, PromptTemplate, RunRequest } from '../../api/prompts.js';
import { exitCodeOf } from '../../core/codes.js';
import { KeelError } from '../../core/errors.js';
import type { KeelClient } from '../../sdk/client.js';
import type { CommandContext, CommandHandler } from '../command.js';
import { createProgress, printJson, printTable, withSpinner } from '../output.js';
import { connected, parametersFrom, variablesFrom } from './prompt-options.js';

function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return value === 0 ? '$0' : `$${value.toPrecision(3)}`;
}

/** Ctrl-C cancels the run (the server stops the model) instead of killing the process mid-write. */
async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
  }
}

async function declaredVariables(client: KeelClient, refs: string[]): Promise<PromptTemplate['variables']> {
  const templates = await Promise.all(refs.map((ref) => client.prompts.get(ref)));
  return templates.flatMap((template) => template.variables);
}

function report(context: CommandContext, run: PromptRun): number {
  const io = context.io;
  for (const warning of run.warnings) io.stderr.write(`warning: ${warning.message}\n`);
  for (const issue of run.issues ?? [])
    io.stderr.write(`  - ${issue.path.join('.') || '(output)'}: ${issue.message}\n`);
  if (io.stderr.isTTY) {
    io.stderr.write(
      `(${run.model}, ${run.usage.input_tokens} input + ${run.usage.output_tokens} output tokens, ${Math.round(run.latency_ms)} ms${run.cost ? `, ${usd(run.cost.total)}` : ''}, run ${run.id})\n`,
    );
  }
  // A schema-checked output that is still invalid fails the command, so scripts notice.
  return run.issues?.length ? exitCodeOf('output_validation_failed') : 0;
}

/** `keel prompt run [<ref>] [--text <prompt>] [--var k=v ...] [--model id] [--stream] [--session id]` */
export const runCommand: CommandHandler = async (context, args, options) => {
  const ref = args[0];
  if (!ref && !options.text) {
    throw new KeelError(
      'invalid_request',
      'Name a template (name, name@3 or name@production) or give --text "<prompt>".',
      {
        data: { hint: 'List templates with `keel prompt list`.' },
      },
    );
  }
  return connected(context, async (client) => {
    const io = context.io;
    const declared = ref ? await declaredVariables(client, [ref]) : [];
    const parameters = parametersFrom(options);
    const request: Omit<RunRequest, 'stream'> = {
      ...(ref ? { prompt: ref } : { template: { mode: 'freeform', text: String(options.text) } }),
      variables: await variablesFrom(options, declared),
      ...(options.model ? { model: String(options.model) } : {}),
      ...(parameters ? { parameters } : {}),
      ...(options.session ? { session_id: String(options.session) } : {}),
    };
    if (!options.stream) {
      const run = await cancellable((signal) =>
        withSpinner(io, `Running ${ref ?? 'the prompt'}`, () => client.prompts.run(request, signal)),
      );
      if (context.global.json) printJson(io, run);
      else io.stdout.write(`${run.output}\n`);
      return report(context, run);
    }
    const run = await cancellable(async (signal) => {
      let result: PromptRun | undefined;
      for await (const event of client.prompts.runStream(request, signal)) {
        if (event.type === 'delta' && !context.global.json) io.stdout.write(event.text);
        else if (event.type === 'retry' && !context.global.json) {
          io.stdout.write('\n');
          io.stderr.write(
            `The output did not match the JSON schema (${event.issues.length} issue${event.issues.length > 1 ? 's' : ''}); retrying once.\n`,
          );
        } else if (event.type === 'result') result = event.run;
      }
      return result;
    });
    if (!run) return exitCodeOf('client_closed');
    if (context.global.json) printJson(io, run);
    else io.stdout.write('\n');
    return report(context, run);
  });
};

async function inputsFrom(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  const fail = (message: string) =>
    new KeelError('invalid_request', `--inputs ${file}: ${message}`, {
      issues: [{ code: 'invalid_option', path: ['inputs'], message }],
    });
  let rows: unknown;
  try {
    rows = text.trimStart().startsWith('[')
      ? JSON.parse(text)
      : text
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line));
  } catch (error) {
    throw fail(`not a JSON array or JSON Lines (${(error as Error).message})`);
  }
  if (
    !Array.isArray(rows) ||
    !rows.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row))
  ) {
    throw fail('each input must be an object of variable values');
  }
  return rows as Record<string, unknown>[];
}

function printComparison(context: CommandContext, result: CompareResult): void {
  const io = context.io;
  const columnName = (index: number) => {
    const column = result.columns[index]!;
    return result.columns.length > 1 && new Set(result.columns.map((c) => c.variant)).size > 1
      ? `${column.variant} · ${column.model}`
      : column.model;
  };
  result.rows.forEach((row, index) => {
    io.stdout.write(`${index ? '\n' : ''}input ${index + 1}: ${JSON.stringify(row.variables)}\n`);
    printTable(
      io,
      row.cells.map((cell) => ({
        column: columnName(cell.column),
        output:
          cell.status === 'ok'
            ? cell.output.replace(/\s+/g, ' ').trim()
            : `error [${cell.error!.code}]: ${cell.error!.message}`,
        tokens: `${cell.usage.input_tokens}+${cell.usage.output_tokens}`,
        ms: Math.round(cell.latency_ms),
        cost: usd(cell.cost?.total),
        schema:
          cell.issues === undefined ? '' : cell.issues.length ? `${cell.issues.length} issues` : 'valid',
      })),
    );
  });
  io.stdout.write('\n');
  printTable(
    io,
    result.summary.map((summary) => ({
      column: columnName(summary.column),
      ok: summary.ok,
      errors: summary.errors,
      input_tokens: summary.input_tokens,
      output_tokens: summary.output_tokens,
      p50_ms: Math.round(summary.latency_ms_p50),
      max_ms: Math.round(summary.latency_ms_max),
      cost: usd(summary.cost),
    })),
  );
  printQuality(context, result, columnName);
  io.stderr.write(
    `${result.rows.length * result.columns.length} runs in ${Math.round(result.wall_ms)} ms (up to ${result.concurrency} at once)\n`,
  );
}

/** A scored comparison: each quality metric per column with its interval, then each column against the first. */
function printQuality(context: CommandContext, result: CompareResult, columnName: (index: number) => string) {
  const io = context.io;
  const metrics = result.metrics ?? [];
  if (!metrics.length) return;
  const round = (value: number) => Number(value.toPrecision(4));
  io.stdout.write(
    `\nQuality${result.dataset ? ` on ${result.dataset.name}@${result.dataset.version}` : ''} (${result.rows.length} items, 95% intervals)\n`,
  );
  printTable(
    io,
    metrics.map((metric) => ({
      metric,
      ...Object.fromEntries(
        result.summary.map((summary) => {
          const value = summary.metrics?.[metric];
          const text = !value
            ? '–'
            : `${round(value.score)}${value.ci ? ` [${round(value.ci.low)}, ${round(value.ci.high)}]` : ''}`;
          return [columnName(summary.column), text];
        }),
      ),
    })),
  );
  const rows = (result.significance ?? []).flatMap((entry) =>
    entry.metrics
      .filter((metric) => metrics.includes(metric.metric))
      .sort((a, b) => metrics.indexOf(a.metric) - metrics.indexOf(b.metric))
      .map((metric) => ({
        column: columnName(entry.column),
        against: columnName(entry.baseline),
        metric: metric.metric,
        difference: round(metric.difference),
        p: round(metric.p_value),
        test: metric.method,
        verdict: metric.verdict.replace('_', ' '),
      })),
  );
  if (rows.length) {
    io.stdout.write('\nDifference from the first column\n');
    printTable(io, rows);
  }
}

/** `--dataset name[@version] [--limit n]`: the rows of a scored comparison. */
function datasetFrom(options: Record<string, unknown>): { name: string; version?: number; limit?: number } {
  const [name, version] = String(options.dataset).split('@');
  const whole = (value: unknown, option: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1)
      throw new KeelError('invalid_request', `${option} must be a whole number from 1.`, {
        issues: [
          { code: 'invalid_option', path: [option.replace(/^--/, '')], message: 'expected an integer' },
        ],
      });
    return number;
  };
  return {
    name: name!,
    ...(version !== undefined ? { version: whole(version, '--dataset') } : {}),
    ...(options.limit !== undefined ? { limit: whole(options.limit, '--limit') } : {}),
  };
}

/**
 * `keel prompt compare <ref...> [--model <id...>] [--var k=v ...] [--inputs file] [--concurrency n]`,
 * or `--dataset name[@version] [--limit n] [--metric m...]`: scored columns and their differences.
 */
export const compareCommand: CommandHandler = async (context, args, options) =>
  connected(context, async (client) => {
    const declared = await declaredVariables(client, args);
    const dataset = options.dataset === undefined ? undefined : datasetFrom(options);
    const inputs = dataset
      ? undefined
      : options.inputs
        ? await inputsFrom(String(options.inputs))
        : [await variablesFrom(options, declared)];
    const metrics = options.metric as string[] | undefined;
    const parameters = parametersFrom(options);
    const models = options.model as string[] | undefined;
    const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
    if (concurrency !== undefined && !Number.isInteger(concurrency)) {
      throw new KeelError('invalid_request', '--concurrency must be a whole number.', {
        issues: [{ code: 'invalid_option', path: ['concurrency'], message: 'expected an integer' }],
      });
    }
    const request = {
      variants: args.map((ref) => ({ prompt: ref, ...(parameters ? { parameters } : {}) })),
      ...(models?.length ? { models } : {}),
      ...(dataset ? { dataset } : { inputs }),
      ...(metrics?.length ? { metrics } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(options.session ? { session_id: String(options.session) } : {}),
    };
    const result = await cancellable(async (signal) => {
      let progress: ReturnType<typeof createProgress> | undefined;
      let done = 0;
      let final: CompareResult | undefined;
      try {
        for await (const event of client.prompts.compareStream(request, signal)) {
          if (event.type === 'start')
            progress = createProgress(context.io, 'Comparing', { total: event.cells });
          else if (event.type === 'cell') progress?.update(++done);
          else if (event.type === 'result') final = event.result;
        }
      } finally {
        progress?.stop();
      }
      return final;
    });
    if (!result) return exitCodeOf('client_closed');
    if (context.global.json) printJson(context.io, result);
    else printComparison(context, result);
    return 0;
  });
