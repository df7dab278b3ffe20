/**
 * @module data/rag-sources
 * Data tables as sources of RAG collections (`data_rag_sources`): a source says which table's
 * rows a collection takes and how each row becomes a document (row-documents.ts). Syncing reads
 * the rows (masked by every policy), adds them to the collection (rows whose text did not change
 * stay `unchanged`; the collection's ingestion job indexes the rest) and removes the documents of
 * rows no longer in the table. Runs on demand; each sync is audited with its counts.
 */
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { RagService } from '../rag/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { DataService } from './data-service.js';
import { checkRowSource, type RowSourceSpec, rowDocumentPrefix, rowDocuments } from './row-documents.js';

type RagCaller = Parameters<RagService['addDocuments']>[0];

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

export interface RagSourceRow {
  id: string;
  collection_id: string;
  table_name: string;
  text_columns: string[];
  metadata_columns: string[];
  id_column: string | null;
  max_rows: number;
  last_synced_at: Date | null;
  last_result: RagSourceSync | null;
  created_at: Date;
}

export interface NewRagSource {
  collection: string;
  table: string;
  textColumns: string[];
  metadataColumns?: string[] | undefined;
  idColumn?: string | undefined;
  maxRows?: number | undefined;
}

const columns =
  'id, collection_id, table_name, text_columns, metadata_columns, id_column, max_rows, last_synced_at, last_result, created_at';

export class RagSources {
  constructor(
    private readonly options: {
      db: DatabaseV1;
      audit: AuditRecorder;
      data: DataService;
      rag: Pick<RagService, 'addDocuments' | 'documents' | 'deleteDocument' | 'get'>;
      defaultMaxRows?: number;
    },
  ) {}

  async list(projectId: string): Promise<RagSourceRow[]> {
    const { rows } = await this.options.db.query<RagSourceRow>(
      `SELECT ${columns} FROM data_rag_sources WHERE project_id = $1 ORDER BY created_at, id`,
      [projectId],
    );
    return rows;
  }

  async find(projectId: string, id: string): Promise<RagSourceRow> {
    const found = (await this.list(projectId)).find((row) => row.id === id);
    if (!found) {
      throw new KeelError('not_found', `No RAG source ${id} in this project's data.`, {
        issues: [{ code: 'unknown_rag_source', path: ['id'], message: 'no such RAG source' }],
      });
    }
    return found;
  }

  /** Records a table as a collection's source (columns checked), then syncs it once. */
  async create(
    caller: RagCaller,
    input: NewRagSource,
  ): Promise<{ source: RagSourceRow; sync: RagSourceSync }> {
    const collection = await this.options.rag.get(caller, input.collection);
    const spec = await checkRowSource(this.options.data, caller.projectId, {
      table: input.table,
      textColumns: input.textColumns,
      metadataColumns: input.metadataColumns ?? [],
      idColumn: input.idColumn,
      maxRows: input.maxRows ?? this.options.defaultMaxRows ?? 10_000,
    });
    const id = newId('drag');
    const { rows } = await this.options.db.query<{ id: string }>(
      `INSERT INTO data_rag_sources
         (id, project_id, collection_id, table_name, text_columns, metadata_columns, id_column, max_rows, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (project_id, collection_id, table_name) DO NOTHING RETURNING id`,
      [
        id,
        caller.projectId,
        collection.id,
        spec.table,
        JSON.stringify(spec.textColumns),
        JSON.stringify(spec.metadataColumns),
        spec.idColumn ?? null,
        spec.maxRows,
        caller.actor,
      ],
    );
    if (!rows.length) {
      throw new KeelError('conflict', `The collection already takes the rows of ${spec.table}.`, {
        issues: [{ code: 'duplicate_rag_source', path: ['table'], message: 'already a source' }],
      });
    }
    this.options.audit.record({
      action: 'data.rag_source.create',
      projectId: caller.projectId,
      target: { type: 'data_rag_source', id },
      after: { collection: collection.id, ...spec },
    });
    const sync = await this.sync(caller, id);
    return { source: await this.find(caller.projectId, id), sync };
  }

  /** Reads the table's rows again and brings the collection's documents in line with them. */
  async sync(caller: RagCaller, id: string): Promise<RagSourceSync> {
    const source = await this.find(caller.projectId, id);
    const spec: RowSourceSpec = {
      table: source.table_name,
      textColumns: source.text_columns,
      metadataColumns: source.metadata_columns,
      idColumn: source.id_column,
      maxRows: source.max_rows,
    };
    const read = await rowDocuments(this.options.data, caller.projectId, spec, caller.signal);
    const added = read.documents.length
      ? await this.options.rag.addDocuments(caller, source.collection_id, read.documents)
      : { job: null, documents: [] };
    const outcomes = added.documents as Array<{ outcome: string }>;
    // A truncated read does not know which rows are gone, so it removes nothing.
    let removed = 0;
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
    const result: RagSourceSync = {
      rows: read.documents.length,
      queued: outcomes.filter((outcome) => outcome.outcome === 'queued').length,
      unchanged: outcomes.filter((outcome) => outcome.outcome === 'unchanged').length,
      removed,
      empty: read.empty,
      truncated: read.truncated,
      masked: read.masked,
      jobId: job?.id ?? null,
    };
    await this.options.db.query(
      'UPDATE data_rag_sources SET last_synced_at = now(), last_result = $2 WHERE id = $1',
      [id, JSON.stringify(result)],
    );
    this.options.audit.record({
      action: 'data.rag_source.sync',
      projectId: caller.projectId,
      target: { type: 'data_rag_source', id },
      detail: { ...result, collection: source.collection_id, table: source.table_name },
    });
    return result;
  }
}
