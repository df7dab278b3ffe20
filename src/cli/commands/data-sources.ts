/**
 * @module cli/commands/data-sources
 * `keel data sources list|add|show|sync|schedule|remove`: tables and read-only queries whose rows
 * feed a RAG collection. `add` records a source, whose first sync is a job; `sync` queues a sync
 * job; both follow their job with a progress bar until it ends; `schedule` sets `--every <seconds>` or
 * `--cron <expr>` (UTC), or `--none`. A source is named by its id or, when one source reads it, by
 * its table (or query rows') name.
 */
import { isErrorCode } from '../../core/codes.js';
import { KeelError } from '../../core/errors.js';
import type { DataRagSourceJson, DataRagSyncJson, DataSyncSchedule } from '../../sdk/index.js';
import type { CommandContext, CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { listOption } from '../list-option.js';
import { numberOption } from '../number-option.js';
import { createProgress, printJson, printRows } from '../output.js';

type Client = Parameters<Parameters<typeof withConnection>[1]>[0]['client'];
type JobJson = Awaited<ReturnType<Client['data']['syncRagSource']>>;

function scheduleText(schedule: DataSyncSchedule | null): string {
  if (!schedule) return 'on demand';
  return 'every_seconds' in schedule ? `every ${schedule.every_seconds} s` : `cron ${schedule.cron} (UTC)`;
}

function syncText(sync: DataRagSyncJson): string {
  return `${sync.rows} rows, ${sync.queued} to index, ${sync.unchanged} unchanged, ${sync.removed} removed${sync.truncated ? ' (cut at the row limit)' : ''}`;
}

/** `--every <seconds>`, `--cron <expr>` or `--none`; undefined when none of them is given. */
function scheduleOption(options: Record<string, unknown>): DataSyncSchedule | null | undefined {
  const given = [options.every !== undefined, options.cron !== undefined, Boolean(options.none)];
  if (given.filter(Boolean).length > 1) {
    throw new KeelError('invalid_request', 'Give one of --every, --cron or --none.', {
      issues: [{ code: 'invalid_option', path: ['schedule'], message: 'one schedule option at most' }],
    });
  }
  if (options.every !== undefined) return { every_seconds: numberOption(options.every, 'every')! };
  if (options.cron !== undefined) return { cron: String(options.cron) };
  return options.none ? null : undefined;
}

/** The source named by id, or by the table (or query rows' name) it reads when only one does. */
async function resolve(client: Client, name: string): Promise<DataRagSourceJson> {
  const sources = await client.data.ragSources();
  const byId = sources.find((source) => source.id === name);
  if (byId) return byId;
  const byTable = sources.filter((source) => source.table.toLowerCase() === name.toLowerCase());
  if (byTable.length === 1) return byTable[0]!;
  if (byTable.length > 1) {
    throw new KeelError('invalid_request', `${byTable.length} sources read ${name}: name one by its id.`, {
      issues: [
        { code: 'ambiguous_rag_source', path: ['source'], message: byTable.map((s) => s.id).join(', ') },
      ],
    });
  }
  throw new KeelError('not_found', `No RAG source ${name} in this project's data.`, {
    issues: [{ code: 'unknown_rag_source', path: ['source'], message: 'no such RAG source' }],
  });
}

function printSource(context: CommandContext, source: DataRagSourceJson): void {
  const lines: Array<[string, string | null]> = [
    ['id', source.id],
    ['rows of', source.query ? `${source.table} (query: ${source.query})` : source.table],
    ['collection', source.collection_id],
    ['row text', source.template ?? source.text_columns.join(', ')],
    ['metadata', source.metadata_columns.join(', ') || null],
    ['id column', source.id_column],
    ['max rows', String(source.max_rows)],
    ['schedule', scheduleText(source.schedule)],
    ['next sync', source.next_sync_at],
    [
      'last sync',
      source.last_sync && source.last_synced_at
        ? `${source.last_synced_at}: ${syncText(source.last_sync)}`
        : 'never',
    ],
    [
      'last error',
      source.last_error
        ? `${source.last_attempt_at ?? ''} [${source.last_error.code}] ${source.last_error.message}`
        : null,
    ],
  ];
  for (const [label, value] of lines) {
    if (value !== null) context.io.stdout.write(`${`${label}:`.padEnd(12)}${value}\n`);
  }
}

export const sourcesListCommand: CommandHandler = async (context) =>
  withConnection(context, async ({ client }) => {
    printRows(context.io, context.global.json, await client.data.ragSources(), (source) => ({
      id: source.id,
      rows_of: source.table,
      collection: source.collection_id,
      schedule: scheduleText(source.schedule),
      last_sync: source.last_synced_at ?? 'never',
      next_sync: source.next_sync_at,
      last_error: source.last_error ? `[${source.last_error.code}] ${source.last_error.message}` : null,
    }));
    return 0;
  });

export const sourcesAddCommand: CommandHandler = async (context, _args, options) => {
  if (!options.collection) {
    throw new KeelError('invalid_request', 'Say which collection takes the rows: --collection <name>.', {
      issues: [{ code: 'missing_collection', path: ['collection'], message: '--collection is required' }],
    });
  }
  const schedule = scheduleOption(options);
  const maxRows = options.maxRows !== undefined ? numberOption(options.maxRows, 'max-rows') : undefined;
  const request = {
    collection: String(options.collection),
    ...(options.table !== undefined ? { table: String(options.table) } : {}),
    ...(options.query !== undefined ? { query: String(options.query) } : {}),
    ...(options.name !== undefined ? { name: String(options.name) } : {}),
    ...(options.template !== undefined ? { template: String(options.template) } : {}),
    ...(options.textColumns !== undefined ? { text_columns: listOption(options.textColumns) } : {}),
    ...(options.metadataColumns !== undefined
      ? { metadata_columns: listOption(options.metadataColumns) }
      : {}),
    ...(options.idColumn !== undefined ? { id_column: String(options.idColumn) } : {}),
    ...(maxRows !== undefined ? { max_rows: maxRows } : {}),
    ...(schedule !== undefined ? { schedule } : {}),
  };
  return withConnection(context, async ({ client }) => {
    const { source, job: queued } = await client.data.addRagSource(request);
    if (!context.global.json) {
      context.io.stdout.write(`Added ${source.table} to ${request.collection} (${source.id}).\n`);
    }
    const job = await followSync(context, client, source, queued);
    if (context.global.json) printJson(context.io, { source, job });
    return syncEnded(source, job);
  });
};

export const sourcesShowCommand: CommandHandler = async (context, args) =>
  withConnection(context, async ({ client }) => {
    const source = await client.data.ragSource((await resolve(client, args[0]!)).id);
    if (context.global.json) printJson(context.io, source);
    else printSource(context, source);
    return 0;
  });

/** Follows a sync job to its end with a progress bar (its stages); returns its final state. */
async function followSync(
  context: CommandContext,
  client: Client,
  source: DataRagSourceJson,
  queued: JobJson,
): Promise<JobJson> {
  const progress = createProgress(context.io, `Syncing ${source.table}`, {
    unit: 'items',
    total: queued.progress.total ?? 3,
  });
  const job = await client.data.waitForSync(queued.id, (state) => {
    if (state.progress.total) progress.setTotal(state.progress.total);
    progress.update(state.progress.done, { stage: state.progress.message ?? state.status });
  });
  const sync = (job.result as { sync?: DataRagSyncJson } | null)?.sync;
  progress.stop(
    job.status === 'succeeded' && sync ? `Synced ${source.table}: ${syncText(sync)}.` : undefined,
  );
  return job;
}

/** 0 when the sync job succeeded; otherwise its error (its code, or `unprocessable`) is thrown. */
function syncEnded(source: DataRagSourceJson, job: JobJson): number {
  if (job.status === 'succeeded') return 0;
  const code = job.error?.code;
  throw new KeelError(
    code && isErrorCode(code) ? code : 'unprocessable',
    `The sync of ${source.table} ${job.status}: ${job.error?.message ?? 'cancelled before it ended'}`,
    { data: { job_id: job.id } },
  );
}

/** Queues a sync and follows its job to the end with a progress bar (its stages). */
export const sourcesSyncCommand: CommandHandler = async (context, args) =>
  withConnection(context, async ({ client }) => {
    const source = await resolve(client, args[0]!);
    const job = await followSync(context, client, source, await client.data.syncRagSource(source.id));
    if (context.global.json) printJson(context.io, job);
    return syncEnded(source, job);
  });

export const sourcesScheduleCommand: CommandHandler = async (context, args, options) => {
  const schedule = scheduleOption(options);
  if (schedule === undefined) {
    throw new KeelError('invalid_request', 'Give the schedule: --every <seconds>, --cron <expr> or --none.', {
      issues: [{ code: 'missing_schedule', path: ['schedule'], message: 'no schedule option' }],
    });
  }
  return withConnection(context, async ({ client }) => {
    const source = await resolve(client, args[0]!);
    const saved = await client.data.scheduleRagSource(source.id, schedule);
    if (context.global.json) printJson(context.io, saved);
    else
      context.io.stdout.write(
        `${saved.table}: ${scheduleText(saved.schedule)}${saved.next_sync_at ? `, next sync ${saved.next_sync_at}` : ''}.\n`,
      );
    return 0;
  });
};

export const sourcesRemoveCommand: CommandHandler = async (context, args) =>
  withConnection(context, async ({ client }) => {
    const source = await resolve(client, args[0]!);
    await client.data.removeRagSource(source.id);
    if (context.global.json) printJson(context.io, { removed: source.id });
    else
      context.io.stdout.write(
        `Removed ${source.table} (${source.id}); its documents stay in the collection.\n`,
      );
    return 0;
  });
