/**
 * @module cli/commands/eval
 * `keel eval run <eval.yaml>`: uploads the dataset when the file names a local one, starts the
 * run, shows a progress bar, prints the metric table, writes JSON (`--json-out`) and JUnit XML
 * (`--junit`), and exits with the `threshold_failed` code when a threshold fails. `keel eval
 * compare A B`, `keel eval dataset add|list`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorCodes } from '../../api/error-codes.js';
import type { CreateDatasetRequest } from '../../api/evals.js';
import { KeelError } from '../../core/errors.js';
import { formatOf, readSharedSet } from '../../evals/index.js';
import type { KeelClient } from '../../sdk/client.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { createProgress, printJson, printRows, printTable } from '../output.js';
import { type EvalFile, readEvalFile } from './eval-file.js';

type ColumnMapping = NonNullable<CreateDatasetRequest['mapping']>;

import { junitXml, metricRows } from './eval-report.js';

async function uploadFile(
  client: KeelClient,
  input: { file: string; name: string; format?: string | undefined; mapping?: ColumnMapping | undefined },
) {
  const format = input.format ?? formatOf(input.file);
  if (!format) {
    throw new KeelError('invalid_request', `Cannot tell the format of ${input.file}; give \`format\`.`, {
      issues: [{ code: 'unknown_format', path: ['dataset', 'format'], message: input.file }],
    });
  }
  return client.evals.uploadDataset({
    name: input.name,
    format,
    file: { name: path.basename(input.file), data: await readFile(input.file) },
    ...(input.mapping ? { mapping: input.mapping } : {}),
  });
}

/** The dataset reference the run uses: a stored one as named, or a local file uploaded now. */
async function datasetOf(client: KeelClient, spec: EvalFile) {
  if (typeof spec.dataset === 'string')
    return { dataset: spec.dataset, dataset_version: spec.dataset_version };
  const file = path.resolve(spec.baseDir, spec.dataset.path);
  const name = spec.dataset.name ?? path.basename(file).replace(/\.[^.]+$/, '');
  const uploaded = await uploadFile(client, {
    file,
    name,
    format: spec.dataset.format,
    mapping: spec.dataset.mapping,
  });
  return { dataset: uploaded.dataset.id, dataset_version: uploaded.version.version };
}

export const runCommand: CommandHandler = async (context, args, options) => {
  const spec = await readEvalFile(args[0]!);
  const io = context.io;
  return withConnection(context, async ({ client }) => {
    const started = Date.now();
    const { baseDir: _dir, dataset: _dataset, ...request } = spec;
    const created = await client.evals.create({ ...request, ...(await datasetOf(client, spec)) });
    io.stderr.write(`Evaluation ${created.id}: ${created.items} items.\n`);
    const progress = createProgress(io, 'Evaluating', { total: created.items });
    const run = await client.evals.wait(created.id, (job) => progress.update(job.progress.done));
    const failedItems = run.aggregates?.items.failed ?? 0;
    progress.stop(`${run.status}: ${run.aggregates?.items.total ?? 0} items, ${failedItems} failed.`);
    const seconds = (Date.now() - started) / 1000;
    if (context.global.json) printJson(io, run);
    else printTable(io, metricRows(run));
    if (options.jsonOut) await writeFile(String(options.jsonOut), `${JSON.stringify(run, null, 2)}\n`);
    if (options.junit) await writeFile(String(options.junit), junitXml(run, seconds));
    if (run.status !== 'succeeded') {
      io.stderr.write(`The run ${run.status}${run.error ? `: ${run.error.message}` : ''}.\n`);
      return 1;
    }
    const failed = (run.aggregates?.thresholds ?? []).filter((threshold) => !threshold.passed);
    if (failed.length) {
      io.stderr.write(
        `Threshold failed: ${failed.map((t) => `${t.metric} = ${t.value ?? 'none'}`).join(', ')}.\n`,
      );
      return errorCodes.threshold_failed.exit;
    }
    return 0;
  });
};

export const compareCommand: CommandHandler = async (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const limit = numberOption(options.limit, 'limit') ?? 10;
    const comparison = await client.evals.compare(args[0]!, args[1]!, { limit });
    if (context.global.json) {
      printJson(context.io, comparison);
      return 0;
    }
    if (!comparison.same_dataset)
      context.io.stderr.write(
        'Note: the runs used different dataset versions: each metric is compared unpaired (Welch t-test, bootstrap per run).\n',
      );
    printTable(
      context.io,
      comparison.metrics.map((metric) => ({
        metric: metric.metric,
        method: metric.method,
        n: metric.method === 'paired' ? metric.n : `${metric.n_a}+${metric.n_b}`,
        a: metric.mean_a.toFixed(4),
        b: metric.mean_b.toFixed(4),
        'b − a': metric.difference.toFixed(4),
        '95% CI': `${metric.ci.low.toFixed(4)} – ${metric.ci.high.toFixed(4)}`,
        p: metric.p_value.toPrecision(3),
        significant: metric.significant ? 'yes' : 'no',
        verdict: metric.verdict,
      })),
    );
    return 0;
  });

export const datasetAddCommand: CommandHandler = async (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const limit = numberOption(options.limit, 'limit');
    const mapping = options.mapping
      ? (JSON.parse(String(options.mapping)) as Record<string, unknown>)
      : undefined;
    let result: Awaited<ReturnType<typeof client.evals.addDataset>>;
    if (options.from) {
      const set = await readSharedSet(String(options.from), limit ? { limit } : {});
      const name = args[0] ?? set.name;
      if (set.kind === 'file') {
        result = await uploadFile(client, {
          file: set.file,
          name,
          format: set.format,
          mapping: mapping as ColumnMapping | undefined,
        });
      } else {
        // Rows travel as a JSONL file: the same upload path as any other file.
        const jsonl = set.rows.map((row) => JSON.stringify(row)).join('\n');
        result = await client.evals.uploadDataset({
          name,
          description: set.description,
          format: 'jsonl',
          file: { name: `${name}.jsonl`, data: new TextEncoder().encode(jsonl) },
          mapping: (mapping as ColumnMapping | undefined) ?? (set.mapping as ColumnMapping),
        });
      }
    } else if (args[1]) {
      result = await uploadFile(client, {
        file: args[1],
        name: args[0]!,
        format: options.format ? String(options.format) : undefined,
        mapping: mapping as ColumnMapping | undefined,
      });
    } else {
      throw new KeelError(
        'invalid_request',
        'Name a file (keel eval dataset add <name> <file>) or --from <dir>.',
        {
          issues: [{ code: 'missing_file', path: ['file'], message: 'no file' }],
        },
      );
    }
    if (context.global.json) printJson(context.io, result);
    else
      context.io.stdout.write(
        `${result.created ? 'Added' : 'Unchanged:'} ${result.dataset.name} v${result.version.version} (${result.version.row_count} rows, ${result.version.content_hash.slice(0, 12)}).\n`,
      );
    return 0;
  });

export const datasetListCommand: CommandHandler = async (context) =>
  withConnection(context, async ({ client }) => {
    const { datasets } = await client.evals.datasets();
    printRows(context.io, context.global.json, datasets, (d) => ({
      name: d.name,
      version: d.latest_version,
      rows: d.row_count ?? '',
      updated: d.updated_at,
    }));
    return 0;
  });
