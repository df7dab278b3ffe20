/**
 * @module cli/commands/rag
 * `keel rag create|list|ingest|documents|search|ask|experiment`: collections from the terminal,
 * with a progress bar while documents are ingested and while an experiment runs.
 */
import { readFile, stat } from 'node:fs/promises';
import { KeelError } from '../../core/errors.js';
import type { Experiment } from '../../sdk/rag.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { createProgress, printJson, printRows, printTable, withSpinner } from '../output.js';
import { batches, describeFound, findFiles, mediaTypes } from './rag-files.js';
import { readQuestions } from './rag-questions.js';

function listOption<T = string>(value: unknown, name: string, asNumber = false): T[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return (asNumber ? items.map((item) => numberOption(item, name)!) : items) as T[];
}

export const createCommand: CommandHandler = async (context, args, options) => {
  const config: Record<string, unknown> = {};
  if (options.embedder) config.embedder = String(options.embedder);
  const chunker: Record<string, unknown> = {};
  if (options.chunker) chunker.strategy = String(options.chunker);
  if (options.size !== undefined) chunker.size = numberOption(options.size, 'size');
  if (options.overlap !== undefined) chunker.overlap = numberOption(options.overlap, 'overlap');
  if (Object.keys(chunker).length) config.chunker = chunker;
  if (options.model) config.answer = { model: String(options.model) };
  return withConnection(context, async ({ client }) => {
    const collection = await client.rag.create({
      name: args[0]!,
      ...(options.description ? { description: String(options.description) } : {}),
      config,
    });
    if (context.global.json) printJson(context.io, collection);
    else context.io.stdout.write(`Created collection ${collection.name} (${collection.id}).\n`);
    return 0;
  });
};

export const listCommand: CommandHandler = async (context) =>
  withConnection(context, async ({ client }) => {
    const { collections } = await client.rag.list();
    printRows(context.io, context.global.json, collections, (c) => ({
      name: c.name,
      documents: c.documents,
      chunks: c.chunks,
      embedder: (c.config as { embedder: string }).embedder,
      version: c.config_version,
    }));
    return 0;
  });

export const ingestCommand: CommandHandler = async (context, args, options) => {
  const [collection, ...paths] = args as [string, ...string[]];
  const io = context.io;
  const found = await findFiles(paths, {
    include: listOption(options.include, 'include'),
    exclude: listOption(options.exclude, 'exclude'),
  });
  io.stderr.write(`${describeFound(found)}\n`);
  if (!found.files.length) {
    throw new KeelError(
      'invalid_request',
      `No documents to ingest in ${paths.join(', ')}: name files or directories holding ${Object.keys(mediaTypes).join(' ')} files.`,
      { issues: [{ code: 'no_documents', path: ['paths'], message: describeFound(found) }] },
    );
  }
  return withConnection(context, async ({ client }) => {
    const sized = await Promise.all(
      found.files.map(async (file) => ({ ...file, size: (await stat(file.file)).size })),
    );
    let failed = 0;
    const jobs: unknown[] = [];
    const uploads: unknown[] = [];
    for (const batch of batches(sized, 8 * 1024 * 1024)) {
      const files = await Promise.all(
        batch.map(async (file) => ({
          name: file.name,
          data: new Uint8Array(await readFile(file.file)),
          type: file.type,
        })),
      );
      const result = await withSpinner(
        io,
        `Uploading ${files.length} file${files.length > 1 ? 's' : ''}`,
        () => client.rag.upload(collection, files),
      );
      uploads.push(result);
      for (const document of result.documents) {
        if (document.outcome === 'unchanged') io.stderr.write(`${document.name}: unchanged, skipped\n`);
        if (document.outcome === 'rejected')
          io.stderr.write(`${document.name}: ${document.error?.message}\n`);
      }
      failed += result.documents.filter((d) => d.outcome === 'rejected').length;
      if (!result.job) continue;
      const progress = createProgress(io, 'Ingesting', { total: result.job.total });
      const job = await client.rag.waitForJob(collection, result.job.id, (update) =>
        progress.update(update.done + update.failed),
      );
      progress.stop(
        `${job.done} document${job.done === 1 ? '' : 's'} ingested, ${job.chunks} chunks, ${job.failed} failed.`,
      );
      for (const error of job.errors)
        io.stderr.write(`${error.document}: ${error.message} (${error.code})\n`);
      failed += job.failed;
      jobs.push(job);
    }
    if (context.global.json) {
      const value = jobs.length ? jobs : uploads;
      printJson(io, value.length === 1 ? value[0] : value);
    }
    return failed ? 1 : 0;
  });
};

export const documentsCommand: CommandHandler = async (context, args) =>
  withConnection(context, async ({ client }) => {
    const { documents } = await client.rag.documents(args[0]!);
    printRows(context.io, context.global.json, documents, (d) => ({
      name: d.name,
      status: d.status,
      chunks: d.chunk_count,
      pages: d.pages ?? '',
      bytes: d.size_bytes,
    }));
    return 0;
  });

export const searchCommand: CommandHandler = async (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const result = await client.rag.search(args[0]!, {
      query: args[1]!,
      ...(options.mode ? { mode: options.mode as 'vector' | 'keyword' | 'hybrid' } : {}),
      ...(options.topK !== undefined ? { top_k: numberOption(options.topK, 'top-k')! } : {}),
    });
    if (context.global.json) printJson(context.io, result);
    else {
      for (const warning of result.warnings) context.io.stderr.write(`warning: ${warning.message}\n`);
      printTable(
        context.io,
        result.hits.map((hit, index) => ({
          '#': index + 1,
          score: hit.score.toFixed(3),
          document: hit.document,
          pages: hit.pages?.join(',') ?? '',
          text: hit.text.replace(/\s+/g, ' ').slice(0, 80),
        })),
      );
    }
    return 0;
  });

export const askCommand: CommandHandler = async (context, args, options) => {
  const io = context.io;
  const input = {
    question: args[1]!,
    ...(options.model ? { model: String(options.model) } : {}),
    ...(options.topK !== undefined ? { top_k: numberOption(options.topK, 'top-k')! } : {}),
  };
  return withConnection(context, async ({ client }) => {
    let result: Awaited<ReturnType<typeof client.rag.ask>>;
    if (options.stream && !context.global.json) {
      let final: typeof result | undefined;
      for await (const event of client.rag.askStream(args[0]!, input)) {
        if (event.type === 'delta') io.stdout.write(event.text);
        if (event.type === 'result') final = event.result;
      }
      io.stdout.write('\n');
      result = final!;
    } else {
      result = await withSpinner(io, 'Answering', () => client.rag.ask(args[0]!, input));
      if (context.global.json) {
        printJson(io, result);
        return 0;
      }
      io.stdout.write(`${result.answer}\n`);
    }
    if (result.citations.length) {
      io.stdout.write('\n');
      for (const citation of result.citations) {
        const pages = citation.pages?.length ? `, p. ${citation.pages.join(',')}` : '';
        io.stdout.write(`[${citation.marker}] ${citation.document}${pages}\n`);
      }
    }
    for (const claim of result.claims.filter((c) => !c.supported))
      io.stderr.write(`unsupported: ${claim.text}\n`);
    for (const warning of result.warnings) io.stderr.write(`warning: ${warning.message}\n`);
    if (result.dropped?.length)
      io.stderr.write(
        `note: left out to fit the context window: ${result.dropped.map((hit) => `#${hit.rank} ${hit.document}`).join(', ')}\n`,
      );
    if (result.status === 'unsupported')
      io.stderr.write('note: not answered: the answer cites none of the passages (status unsupported).\n');
    return 0;
  });
};

export const experimentCommand: CommandHandler = async (context, args, options) => {
  const io = context.io;
  const questions = await readQuestions(args[1]!);
  const grid = {
    ...(options.chunker ? { chunker: listOption(options.chunker, 'chunker') } : {}),
    ...(options.size ? { size: listOption<number>(options.size, 'size', true) } : {}),
    ...(options.overlap ? { overlap: listOption<number>(options.overlap, 'overlap', true) } : {}),
    ...(options.embedder ? { embedder: listOption(options.embedder, 'embedder') } : {}),
    ...(options.topK ? { top_k: listOption<number>(options.topK, 'top-k', true) } : {}),
    ...(options.mode ? { mode: listOption(options.mode, 'mode') } : {}),
    ...(options.model ? { model: listOption(options.model, 'model') } : {}),
  };
  return withConnection(context, async ({ client }) => {
    const started = await client.rag.experiment(args[0]!, {
      questions,
      grid: grid as never,
      ...(options.metric ? { metric: String(options.metric) as never } : {}),
    });
    const progress = createProgress(io, 'Experimenting');
    const done: Experiment = await client.rag.waitForExperiment(started.id, (experiment) =>
      progress.update(experiment.runs),
    );
    progress.stop(`${done.runs} configuration${done.runs === 1 ? '' : 's'} evaluated (${done.status}).`);
    if (done.status === 'failed')
      throw new KeelError('internal', `The experiment failed: ${String(done.error?.message ?? '')}`);
    if (context.global.json) printJson(io, done);
    else
      printTable(
        io,
        done.results.map((result) => ({
          rank: result.rank,
          ...Object.fromEntries(Object.entries(result.config).map(([k, v]) => [k, String(v).slice(0, 24)])),
          ...Object.fromEntries(Object.entries(result.metrics).map(([k, v]) => [k, v.toFixed(3)])),
          // Each configuration is an evaluation run: `keel eval compare <run> <run>` compares two.
          run: result.run_id ?? '',
        })),
      );
    if (options.apply && done.best) {
      const applied = await client.rag.applyExperiment(done.id);
      io.stderr.write(
        `Saved the best configuration as version ${applied.version}${applied.job ? '; re-indexing in the background' : ''}.\n`,
      );
    }
    return 0;
  });
};
