/**
 * @module data/rag-sources
 * Data as sources of RAG collections (`data_rag_sources`): a source says which table's rows, or
 * which read-only query's result rows, a collection takes and how each row becomes a document
 * (a row template or text columns; row-documents.ts). Syncing reads the rows (masked by every
 * policy), adds them to the collection (rows whose text did not change stay `unchanged`; the
 * collection's ingestion job indexes the rest) and removes the documents of rows no longer there.
 * A sync runs as a job, asked for now or on the source's schedule (rag-source-schedule.ts); a new
 * source's first sync is such a job too, enqueued with it. Each outcome, or error, is kept on the
 * source and audited. Removing a source stops its syncs; the
 * documents it brought stay in the collection.
 */
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Job, JobService } from '../jobs/index.js';
import type { RagService } from '../rag/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { DataService } from './data-service.js';
import {
  enqueueFirstSync,
  enqueueRequestedSync,
  enqueueScheduledSync,
  type RequestedSync,
  requestedSyncsUnderway,
  resumeScheduledSyncs,
} from './rag-source-schedule.js';
import { checkRowSource, type RowSourceSpec, rowDocumentPrefix, rowDocuments } from './row-documents.js';
import { messageOf } from './sql-check.js';
import { checkSchedule, nextSyncAt, type SyncSchedule } from './sync-schedule.js';

export type RagCaller = Parameters<RagService['addDocuments']>[0];

/** What started a sync: a new source (its first), "sync now", or the schedule. */
export type SyncTrigger = 'create' | 'manual' | 'schedule';

/** Reports a sync's stage: stages done (of three) and what it does now. */
export type SyncStage = (done: number, message: string) => Promise<void>;

export interface RagSourceSync {
  /** Rows read (one document each). */
  rows: number;
  queued: number;
  unchanged: number;
  /** Documents removed because their row is gone. */
  removed: number;
  /** Rows with no text in any text column (left out). */
  empty: number;
  truncated: boolean;
  masked: boolean;
  jobId: string | null;
}

/** A sync as the API shows it (snake case: the job's id as `job_id`). */
export type RagSyncJson = Omit<RagSourceSync, 'jobId'> & { job_id: string | null };

export function ragSyncJson(sync: RagSourceSync): RagSyncJson {
  const { jobId, ...counts } = sync;
  return { ...counts, job_id: jobId };
}

export interface RagSourceRow {
  id: string;
  project_id: string;
  collection_id: string;
  /** The table read, or the name of the query's rows. */
  table_name: string;
  query: string | null;
  template: string | null;
  text_columns: string[];
  metadata_columns: string[];
  id_column: string | null;
  max_rows: number;
  schedule: SyncSchedule | null;
  next_sync_at: Date | null;
  last_synced_at: Date | null;
  last_result: RagSourceSync | null;
  last_attempt_at: Date | null;
  last_error: { code: string; message: string } | null;
  created_at: Date;
}

/** A source as listed: with the requested sync (its first, or "sync now") queued or running, if any. */
export interface ListedRagSource extends RagSourceRow {
  running_job: string | null;
}

export interface NewRagSource {
  collection: string;
  /** The table whose rows are read; or `query` and `name`. */
  table?: string | undefined;
  query?: string | undefined;
  name?: string | undefined;
  template?: string | undefined;
  textColumns?: string[] | undefined;
  metadataColumns?: string[] | undefined;
  idColumn?: string | undefined;
  maxRows?: number | undefined;
  schedule?: SyncSchedule | null | undefined;
}

const columns =
  'id, project_id, collection_id, table_name, query, template, text_columns, metadata_columns, id_column, max_rows, schedule, next_sync_at, last_synced_at, last_result, last_attempt_at, last_error, created_at';

/** An error message without the server's file paths (a failed sync is shown to every reader). */
function withoutPaths(message: string): string {
  return message.replace(/"\/[^"]*"/g, '"<file>"').replace(/(^|[\s('])\/[^\s"')]+/g, '$1<file>');
}

function notFound(id: string): never {
  throw new KeelError('not_found', `No RAG source ${id} in this project's data.`, {
    issues: [{ code: 'unknown_rag_source', path: ['id'], message: 'no such RAG source' }],
  });
}

export class RagSources {
  constructor(
    private readonly options: {
      db: DatabaseV1;
      audit: AuditRecorder;
      data: DataService;
      jobs: JobService;
      rag: Pick<RagService, 'addDocuments' | 'documents' | 'deleteDocument' | 'get'>;
      defaultMaxRows?: number;
    },
  ) {}

  async list(projectId: string): Promise<ListedRagSource[]> {
    const { rows } = await this.options.db.query<RagSourceRow>(
      `SELECT ${columns} FROM data_rag_sources WHERE project_id = $1 ORDER BY created_at, id`,
      [projectId],
    );
    const underway = rows.length ? await requestedSyncsUnderway(this.options.jobs, projectId) : new Map();
    return rows.map((row) => ({ ...row, running_job: underway.get(row.id)?.id ?? null }));
  }

  /** The source, or null when the project has none by that id. */
  async lookup(projectId: string, id: string): Promise<RagSourceRow | null> {
    const { rows } = await this.options.db.query<RagSourceRow>(
      `SELECT ${columns} FROM data_rag_sources WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ?? null;
  }

  /** The source with its requested sync queued or running, if any; not found when the project has none. */
  async find(projectId: string, id: string): Promise<ListedRagSource> {
    const row = await this.#get(projectId, id);
    const underway = await requestedSyncsUnderway(this.options.jobs, projectId, id);
    return { ...row, running_job: underway.get(id)?.id ?? null };
  }

  async #get(projectId: string, id: string): Promise<RagSourceRow> {
    return (await this.lookup(projectId, id)) ?? notFound(id);
  }

  /**
   * Records a table or a query as a collection's source (collection, columns, template and schedule
   * checked first: a refused source stores nothing), and enqueues its first sync as a
   * `data.rag_source.sync` job in the same transaction; follow that job on the job service.
   */
  async create(
    caller: RagCaller,
    input: NewRagSource,
  ): Promise<{ source: ListedRagSource; job: Job<RequestedSync> }> {
    if (Boolean(input.table) === Boolean(input.query)) {
      throw new KeelError('invalid_request', 'Name a table, or give a query and a name for its rows.', {
        issues: [{ code: 'table_or_query', path: ['table'], message: 'one of table or query' }],
      });
    }
    if (input.query && !input.name) {
      throw new KeelError('invalid_request', "Name the query's rows (their documents are named after it).", {
        issues: [{ code: 'missing_name', path: ['name'], message: 'a query source needs a name' }],
      });
    }
    const collection = await this.options.rag.get(caller, input.collection);
    const schedule = input.schedule ? checkSchedule(input.schedule) : null;
    const spec = await checkRowSource(this.options.data, caller.projectId, {
      table: input.table ?? input.name ?? '',
      query: input.query ?? null,
      template: input.template ?? null,
      textColumns: input.textColumns ?? [],
      metadataColumns: input.metadataColumns ?? [],
      idColumn: input.idColumn,
      maxRows: input.maxRows ?? this.options.defaultMaxRows ?? 10_000,
    });
    const id = newId('drag');
    const next = schedule ? nextSyncAt(schedule, new Date()) : null;
    const job = await this.options.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO data_rag_sources
           (id, project_id, collection_id, table_name, query, template, text_columns, metadata_columns, id_column,
            max_rows, schedule, next_sync_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (project_id, collection_id, table_name) DO NOTHING RETURNING id`,
        [
          id,
          caller.projectId,
          collection.id,
          spec.table,
          spec.query ?? null,
          spec.template ?? null,
          JSON.stringify(spec.textColumns),
          JSON.stringify(spec.metadataColumns),
          spec.idColumn ?? null,
          spec.maxRows,
          schedule ? JSON.stringify(schedule) : null,
          next,
          caller.actor,
        ],
      );
      if (!rows.length) {
        throw new KeelError('conflict', `The collection already takes the rows of ${spec.table}.`, {
          issues: [{ code: 'duplicate_rag_source', path: ['table'], message: 'already a source' }],
        });
      }
      if (next) await enqueueScheduledSync(this.options.jobs, caller.projectId, id, next, tx);
      return enqueueFirstSync(
        this.options.jobs,
        { project_id: caller.projectId, id },
        caller.actor ?? null,
        tx,
      );
    });
    this.options.audit.record({
      action: 'data.rag_source.create',
      projectId: caller.projectId,
      target: { type: 'data_rag_source', id },
      after: { collection: collection.id, ...spec, schedule },
    });
    const source = await this.find(caller.projectId, id);
    // The first sync starts now (the commit above made its job claimable; a poll would find it too).
    this.options.jobs.notify();
    return { source, job };
  }

  /** Enqueues every scheduled source's next sync again (idempotent); the data module does so on start. */
  resumeSchedules(): Promise<number> {
    return resumeScheduledSyncs(this.options.db, this.options.jobs);
  }

  /** Sets (or, with null, removes) a source's schedule; its next sync is enqueued as a job. */
  async schedule(caller: RagCaller, id: string, schedule: SyncSchedule | null): Promise<ListedRagSource> {
    const source = await this.#get(caller.projectId, id);
    const checked = schedule ? checkSchedule(schedule) : null;
    const next = checked ? nextSyncAt(checked, new Date()) : null;
    await this.options.db.transaction(async (tx) => {
      await tx.query('UPDATE data_rag_sources SET schedule = $2, next_sync_at = $3 WHERE id = $1', [
        id,
        checked ? JSON.stringify(checked) : null,
        next,
      ]);
      // A job enqueued for the old time finds the source's next sync moved and does nothing.
      if (next) await enqueueScheduledSync(this.options.jobs, caller.projectId, id, next, tx);
    });
    this.options.audit.record({
      action: 'data.rag_source.schedule',
      projectId: caller.projectId,
      target: { type: 'data_rag_source', id },
      before: { schedule: source.schedule },
      after: { schedule: checked },
    });
    return this.find(caller.projectId, id);
  }

  /**
   * Enqueues a sync of the source now as a `data.rag_source.sync` job, or returns the one already
   * queued or running; follow it on the job service.
   */
  async requestSync(caller: RagCaller, id: string): Promise<Job<RequestedSync>> {
    const source = await this.#get(caller.projectId, id);
    return enqueueRequestedSync(this.options.jobs, source, caller.actor ?? null);
  }

  /** Removes a source (its scheduled job then does nothing); its documents stay in the collection. */
  async remove(caller: RagCaller, id: string): Promise<void> {
    const source = await this.#get(caller.projectId, id);
    await this.options.db.query('DELETE FROM data_rag_sources WHERE project_id = $1 AND id = $2', [
      caller.projectId,
      id,
    ]);
    this.options.audit.record({
      action: 'data.rag_source.delete',
      projectId: caller.projectId,
      target: { type: 'data_rag_source', id },
      before: { collection: source.collection_id, table: source.table_name, schedule: source.schedule },
    });
  }

  /**
   * Reads the rows again and brings the collection's documents in line with them. The outcome,
   * or the error, is kept on the source (`last_result`, `last_error`).
   */
  async sync(
    caller: RagCaller,
    id: string,
    trigger: SyncTrigger = 'manual',
    stage: SyncStage = async () => {},
  ): Promise<RagSourceSync> {
    const source = await this.#get(caller.projectId, id);
    let result: RagSourceSync;
    try {
      result = await this.#sync(caller, source, stage);
    } catch (error) {
      const failure = {
        code: error instanceof KeelError ? error.code : 'internal',
        message: withoutPaths(messageOf(error)).slice(0, 500),
      };
      await this.options.db.query(
        'UPDATE data_rag_sources SET last_attempt_at = now(), last_error = $2 WHERE id = $1',
        [id, JSON.stringify(failure)],
      );
      this.options.audit.record({
        action: 'data.rag_source.sync_failed',
        projectId: caller.projectId,
        target: { type: 'data_rag_source', id },
        detail: { ...failure, trigger, collection: source.collection_id, table: source.table_name },
      });
      throw error;
    }
    await this.options.db.query(
      `UPDATE data_rag_sources SET last_synced_at = now(), last_attempt_at = now(), last_result = $2,
         last_error = NULL WHERE id = $1`,
      [id, JSON.stringify(result)],
    );
    this.options.audit.record({
      action: 'data.rag_source.sync',
      projectId: caller.projectId,
      target: { type: 'data_rag_source', id },
      detail: { ...result, trigger, collection: source.collection_id, table: source.table_name },
    });
    return result;
  }

  async #sync(caller: RagCaller, source: RagSourceRow, stage: SyncStage): Promise<RagSourceSync> {
    const spec: RowSourceSpec = {
      table: source.table_name,
      query: source.query,
      template: source.template,
      textColumns: source.text_columns,
      metadataColumns: source.metadata_columns,
      idColumn: source.id_column,
      maxRows: source.max_rows,
    };
    await stage(0, 'reading rows');
    const read = await rowDocuments(this.options.data, caller.projectId, spec, caller.signal);
    await stage(1, `adding ${read.documents.length} documents`);
    const added = read.documents.length
      ? await this.options.rag.addDocuments(caller, source.collection_id, read.documents)
      : { job: null, documents: [] };
    const outcomes = added.documents as Array<{ outcome: string }>;
    // A truncated read does not know which rows are gone, so it removes nothing.
    let removed = 0;
    await stage(2, 'removing the documents of rows no longer there');
    if (!read.truncated) {
      const current = new Set(read.documents.map((document) => document.name));
      const prefix = rowDocumentPrefix(source.table_name);
      for (const document of await this.options.rag.documents(caller, source.collection_id)) {
        if (document.name.startsWith(prefix) && !current.has(document.name)) {
          await this.options.rag.deleteDocument(caller, source.collection_id, document.id);
          removed++;
        }
      }
    }
    const job = added.job as { id?: string } | null;
    return {
      rows: read.documents.length,
      queued: outcomes.filter((outcome) => outcome.outcome === 'queued').length,
      unchanged: outcomes.filter((outcome) => outcome.outcome === 'unchanged').length,
      removed,
      empty: read.empty,
      truncated: read.truncated,
      masked: read.masked,
      jobId: job?.id ?? null,
    };
  }
}
