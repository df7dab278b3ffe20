/**
 * @module cli/commands/data
 * `keel data add <file>` uploads a CSV, Parquet or JSON file (or a DuckDB or SQLite file's table)
 * as a table (with --local, adds the path where the server allows local files; an https URL is
 * added as a remote source, a postgres:// URL with --table as a snapshot that `keel data refresh`
 * reads again); `keel data tables` lists them; `keel data describe
 * <table>` shows the catalog entry (edits descriptions with --set, or has a model draft them for
 * review with --draft, then --accept or --discard); `keel data query <sql>`
 * runs one read-only SELECT and prints a table, JSON or CSV (--page-size: page by page as the
 * server hands them out; --out: an export streamed to a file); `keel data ask <question> --model id`
 * has the model write the SQL and prints each step, the SQL, the result and the explanation
 * (--page-size: the result page by page, each next page read once the one before is printed).
 */
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dataAskRequestSchema, dataQueryRequestSchema } from '../../api/data.js';
import { issuesFromZod, KeelError } from '../../core/errors.js';
import type { CommandContext, CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { createProgress, formatBytes, printJson, printRows, printTable, withSpinner } from '../output.js';

type Format = 'csv' | 'parquet' | 'json' | 'duckdb' | 'sqlite' | 'iceberg';

export const addCommand: CommandHandler = async (context, args, options) => {
  const file = args[0]!;
  const format = options.format ? (String(options.format) as Format) : undefined;
  const description = options.description ? String(options.description) : undefined;
  const name = options.name ? String(options.name) : undefined;
  const table = options.table ? String(options.table) : undefined;
  return withConnection(context, async ({ client }) => {
    let source: Awaited<ReturnType<typeof client.data.upload>>;
    if (/^(https?|postgres(ql)?):\/\//i.test(file)) {
      const fallback =
        table?.split('.').at(-1) ?? path.basename(new URL(file).pathname).replace(/\.[^.]*$/, '');
      source = await withSpinner(context.io, `Reading ${table ?? 'the file'}`, () =>
        client.data.addUrl({
          name: name ?? fallback,
          url: file,
          ...(format ? { format } : {}),
          ...(table ? { table } : {}),
          ...(description ? { description } : {}),
        }),
      );
    } else if (options.local) {
      source = await client.data.addPath({
        name: name ?? path.basename(file).replace(/\.[^.]*$/, ''),
        path: path.resolve(file),
        ...(format ? { format } : {}),
        ...(table ? { table } : {}),
        ...(description ? { description } : {}),
      });
    } else {
      const size = (await stat(file)).size;
      const data = new Uint8Array(await readFile(file));
      source = await withSpinner(context.io, `Uploading ${path.basename(file)} (${formatBytes(size)})`, () =>
        client.data.upload(
          { name: path.basename(file), data },
          {
            ...(name ? { name } : {}),
            ...(format ? { format } : {}),
            ...(table ? { table } : {}),
            ...(description ? { description } : {}),
          },
        ),
      );
    }
    if (context.global.json) printJson(context.io, source);
    else
      context.io.stdout.write(
        `Added table ${source.name} (${source.format}, ${formatBytes(source.size_bytes)}).\n`,
      );
    return 0;
  });
};

/** `keel data refresh <table>`: a PostgreSQL table read again into a new snapshot. */
export const refreshCommand: CommandHandler = async (context, args) =>
  withConnection(context, async ({ client }) => {
    const source = await withSpinner(context.io, `Reading ${args[0]} again`, () =>
      client.data.refresh(args[0]!),
    );
    if (context.global.json) printJson(context.io, source);
    else context.io.stdout.write(`Refreshed table ${source.name} (${formatBytes(source.size_bytes)}).\n`);
    return 0;
  });

export const tablesCommand: CommandHandler = async (context) =>
  withConnection(context, async ({ client }) => {
    const sources = await client.data.sources();
    printRows(context.io, context.global.json, sources, (source) => ({
      table: source.name,
      format: source.format,
      origin: source.origin,
      size: formatBytes(source.size_bytes),
      description: source.description,
    }));
    return 0;
  });

/**
 * `--set column=text` (repeatable) and `--description text` edit; `--draft --model id` has the
 * model draft the descriptions for review, `--accept` takes the draft (the edits applied to it),
 * `--discard` drops it; then the entry is shown, with the draft beside what people wrote.
 */
export const describeCommand: CommandHandler = async (context, args, options) => {
  const table = args[0]!;
  const edits = descriptionEdits(options);
  const modes = ['draft', 'accept', 'discard'].filter((mode) => options[mode]);
  if (modes.length > 1 || (options.draft && !options.model)) {
    throw new KeelError('invalid_request', 'Give one of --draft (with --model), --accept or --discard.', {
      issues: [{ code: 'invalid_option', path: [modes[1] ?? 'model'], message: 'one review step at a time' }],
    });
  }
  return withConnection(context, async ({ client }) => {
    if (options.draft) {
      const language = options.language === 'ko' ? 'ko' : 'en';
      await withSpinner(context.io, `Drafting descriptions with ${options.model}`, () =>
        client.data.draftDescriptions(table, { model: String(options.model), language }),
      );
    } else if (options.accept) await client.data.acceptDescriptions(table, edits ?? {});
    else if (options.discard) await client.data.discardDescriptions(table);
    else if (edits) await client.data.describe(table, edits);
    const entry = await client.data.table(table);
    if (context.global.json) {
      printJson(context.io, entry);
      return 0;
    }
    context.io.stdout.write(
      `${entry.name}: ${entry.row_count} rows${entry.description ? ` — ${entry.description}` : ''}\n`,
    );
    const draft = entry.draft;
    if (draft) {
      context.io.stdout.write(
        `draft by ${draft.model} (${draft.language}), to review with --accept or --discard: ${draft.description}\n`,
      );
    }
    printTable(
      context.io,
      entry.columns.map((column) => ({
        column: column.name,
        type: column.type,
        nulls: `${(column.null_rate * 100).toFixed(1)}%`,
        samples: column.samples
          .map((value) => JSON.stringify(value))
          .join(', ')
          .slice(0, 60),
        description: column.description,
        ...(draft ? { draft: draft.columns[column.name] ?? '' } : {}),
      })),
    );
    return 0;
  });
};

/** `--description` and `--set column=text` as edits, or undefined when neither was given. */
function descriptionEdits(options: Record<string, unknown>) {
  const sets = ([] as unknown[]).concat(options.set ?? []).map(String);
  const columns: Record<string, string> = {};
  for (const item of sets) {
    const at = item.indexOf('=');
    if (at < 1) {
      throw new KeelError('invalid_request', `--set takes column=description (got "${item}").`, {
        issues: [{ code: 'invalid_option', path: ['set'], message: 'expected column=description' }],
      });
    }
    columns[item.slice(0, at)] = item.slice(at + 1);
  }
  if (!sets.length && options.description === undefined) return undefined;
  return {
    ...(options.description !== undefined ? { description: String(options.description) } : {}),
    ...(sets.length ? { columns } : {}),
  };
}

export const queryCommand: CommandHandler = async (context, args, options) => {
  const request = {
    sql: args[0]!,
    ...(options.maxRows !== undefined ? { max_rows: numberOption(options.maxRows, 'max-rows')! } : {}),
    ...(options.timeout !== undefined ? { timeout_ms: numberOption(options.timeout, 'timeout')! } : {}),
  };
  const pageSize = pageSizeOption(options.pageSize, dataQueryRequestSchema);
  return withConnection(context, async ({ client }) => {
    if (options.out) return exportTo(context, client, request, String(options.out), options.format);
    if (options.csv) {
      context.io.stdout.write(await client.data.queryCsv(request));
      return 0;
    }
    if (pageSize !== undefined) {
      return printPages(context, client.data.pages({ ...request, page_size: pageSize }));
    }
    const result = await client.data.query(request);
    if (context.global.json) {
      printJson(context.io, result);
      return 0;
    }
    printResult(context.io, result);
    context.io.stderr.write(
      `${result.row_count} rows${result.truncated ? ' (truncated at the row limit)' : ''} in ${result.elapsed_ms.toFixed(1)} ms\n`,
    );
    return 0;
  });
};

type Client = Parameters<Parameters<typeof withConnection>[1]>[0]['client'];
type QueryJson = Awaited<ReturnType<Client['data']['query']>>;

/** `--page-size n`: a whole number of rows from 1 to the largest page the route hands out. */
function pageSizeOption(
  value: unknown,
  route: typeof dataQueryRequestSchema | typeof dataAskRequestSchema,
): number | undefined {
  const size = numberOption(value, 'page-size');
  if (size === undefined) return undefined;
  const pageSizeSchema = route.shape.page_size.unwrap();
  const checked = pageSizeSchema.safeParse(size);
  if (!checked.success) {
    throw new KeelError(
      'invalid_request',
      `--page-size takes a whole number of rows from ${pageSizeSchema.minValue} to ${pageSizeSchema.maxValue} (got ${size}).`,
      { issues: issuesFromZod(checked.error.issues).map((issue) => ({ ...issue, path: ['page-size'] })) },
    );
  }
  return checked.data;
}

function printResult(io: CommandContext['io'], result: Pick<QueryJson, 'rows' | 'columns'>): void {
  printTable(
    io,
    result.rows.map((row) =>
      Object.fromEntries(result.columns.map((column, index) => [column.name, row[index]])),
    ),
    result.columns.map((column) => column.name),
  );
}

/**
 * `--page-size n`: the server keeps the result; each page is printed as it arrives (--json: a line
 * each). `shown`: rows already printed before these pages (an answer's first page).
 */
async function printPages(
  context: CommandContext,
  pages: AsyncIterable<QueryJson>,
  shown = 0,
): Promise<number> {
  const progress = createProgress(context.io, 'Rows', { unit: 'items' });
  let seen = shown;
  let total = 0;
  for await (const page of pages) {
    total = page.total_rows ?? page.row_count;
    progress.setTotal(total);
    seen += page.row_count;
    if (context.global.json) context.io.stdout.write(`${JSON.stringify(page)}\n`);
    else printResult(context.io, page);
    progress.update(seen);
  }
  progress.stop(`${seen} of ${total} rows`);
  return 0;
}

const exportFormats = ['csv', 'ndjson', 'parquet', 'arrow'] as const;

/** `--out file [--format f]`: the export streamed to a file, with a progress bar over its bytes. */
async function exportTo(
  context: CommandContext,
  client: Client,
  request: Parameters<Client['data']['export']>[0],
  file: string,
  format: unknown,
): Promise<number> {
  const extension = path.extname(file).slice(1).toLowerCase();
  const chosen = String(format ?? (extension === 'arrows' ? 'arrow' : extension));
  if (!exportFormats.includes(chosen as never)) {
    throw new KeelError('invalid_request', `Say the export format: --format ${exportFormats.join('|')}.`, {
      issues: [{ code: 'invalid_option', path: ['format'], message: `unknown format ${chosen}` }],
    });
  }
  const response = await client.data.export(request, chosen as (typeof exportFormats)[number]);
  const size = Number(response.headers.get('content-length') ?? 0);
  const progress = createProgress(context.io, `Writing ${path.basename(file)}`, {
    unit: 'bytes',
    total: size,
  });
  let written = 0;
  const counted = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      written += chunk.byteLength;
      progress.update(written);
      controller.enqueue(chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body!.pipeThrough(counted) as never), createWriteStream(file));
  const rows = response.headers.get('x-keel-row-count');
  const cut = response.headers.get('x-keel-truncated') === 'true' ? ' (cut at the row limit)' : '';
  progress.stop(`Wrote ${rows} rows${cut} to ${file} (${formatBytes(written)}).`);
  return 0;
}

export const askCommand: CommandHandler = async (context, args, options) => {
  if (!options.model) {
    throw new KeelError('invalid_request', 'Say which model writes the SQL: --model provider:model.', {
      issues: [{ code: 'missing_model', path: ['model'], message: '--model is required' }],
    });
  }
  const pageSize = pageSizeOption(options.pageSize, dataAskRequestSchema);
  const request = {
    question: args[0]!,
    model: String(options.model),
    ...(options.maxRows !== undefined ? { max_rows: numberOption(options.maxRows, 'max-rows')! } : {}),
    ...(pageSize !== undefined ? { page_size: pageSize } : {}),
  };
  return withConnection(context, async ({ client }) => {
    const answer = await withSpinner(context.io, 'Asking', () => client.data.ask(request));
    if (context.global.json && pageSize !== undefined && answer.result) {
      // The answer, with its first page, on a line; then each next page on a line of its own.
      context.io.stdout.write(`${JSON.stringify(answer)}\n`);
      const pages = client.data.pagesFrom(answer.result);
      await pages.next();
      return printPages(context, pages, answer.result.row_count);
    }
    if (context.global.json) {
      printJson(context.io, answer);
      return answer.ok ? 0 : 1;
    }
    for (const step of answer.steps) {
      const status = step.ok === undefined ? '' : step.ok ? ' ok' : ` failed: ${step.error?.message ?? ''}`;
      const detail =
        step.step === 'select_tables' ? ` ${step.tables?.join(', ')}` : step.sql ? ` ${step.sql}` : '';
      context.io.stderr.write(`- ${step.step}${step.attempt ? ` #${step.attempt}` : ''}${detail}${status}\n`);
    }
    if (!answer.ok || !answer.result) {
      context.io.stderr.write(`No answer: ${answer.error?.message ?? 'the SQL failed'}\n`);
      return 1;
    }
    context.io.stdout.write(`${answer.sql}\n\n`);
    if (pageSize !== undefined) await printPages(context, client.data.pagesFrom(answer.result));
    else printResult(context.io, answer.result);
    if (answer.explanation) context.io.stdout.write(`\n${answer.explanation}\n`);
    if (answer.masked_columns.length) {
      context.io.stderr.write(`Masked for you: ${answer.masked_columns.join(', ')}\n`);
    }
    return 0;
  });
};
