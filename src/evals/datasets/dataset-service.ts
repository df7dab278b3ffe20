/**
 * @module evals/datasets/dataset-service
 * The one path every dataset takes in, whichever the surface (multipart upload, JSON rows, the
 * CLI's loader for shared sets): parse, map, validate, hash, store a version. Plus list, get,
 * preview, versions and delete.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { type ColumnMapping, mapRows, type RandomSplits } from './dataset-items.js';
import { DatasetStore, type DatasetVersionRow, type StoredItem } from './dataset-store.js';
import { type DatasetFormat, parseDatasetFile, type Row } from './parse-file.js';

/** Default largest dataset upload (bytes). */
export const DATASET_UPLOAD_LIMIT_BYTES = 256 * 1024 * 1024;

export interface DatasetCaller {
  projectId: string;
  actor: string | null;
}

export interface AddDatasetInput {
  name: string;
  description?: string | undefined;
  message?: string | undefined;
  mapping?: ColumnMapping | undefined;
  /** Random splits by fraction (a split column goes in the mapping instead). */
  splits?: RandomSplits | undefined;
  /** Either a file's bytes and its format, or rows. */
  file?: { bytes: Uint8Array; format: DatasetFormat } | undefined;
  rows?: Row[] | undefined;
}

export class DatasetService {
  readonly store: DatasetStore;

  constructor(db: DatabaseV1, audit: AuditRecorder) {
    this.store = new DatasetStore(db, audit);
  }

  async add(caller: DatasetCaller, input: AddDatasetInput) {
    if ((input.file === undefined) === (input.rows === undefined)) {
      throw new KeelError('invalid_request', 'Give a file or rows, not both.', {
        issues: [{ code: 'invalid_union', path: ['rows'], message: 'exactly one of file and rows' }],
      });
    }
    const parsed = input.file
      ? await parseDatasetFile(input.file.bytes, input.file.format)
      : { format: 'json' as const, rows: input.rows!, columns: columnsOf(input.rows!) };
    const mapped = mapRows(parsed.rows, parsed.columns, input.mapping ?? {}, input.splits);
    return this.store.addVersion(
      caller.projectId,
      caller.actor,
      { name: input.name, description: input.description, format: parsed.format, message: input.message },
      mapped,
    );
  }

  list(projectId: string) {
    return this.store.list(projectId);
  }

  async get(projectId: string, idOrName: string) {
    const dataset = await this.store.get(projectId, idOrName);
    const version = dataset.latest_version > 0 ? await this.store.version(dataset) : null;
    return { dataset, version };
  }

  async versions(projectId: string, idOrName: string): Promise<DatasetVersionRow[]> {
    const dataset = await this.store.get(projectId, idOrName);
    return this.store.versions(dataset.id);
  }

  /** The first `limit` items (of one split, from `offset`) of a version (the latest by default). */
  async preview(
    projectId: string,
    idOrName: string,
    options: {
      version?: number | undefined;
      limit?: number | undefined;
      offset?: number | undefined;
      split?: string | undefined;
    } = {},
  ): Promise<{ version: DatasetVersionRow; items: StoredItem[] }> {
    const dataset = await this.store.get(projectId, idOrName);
    const version = await this.store.version(dataset, options.version);
    const items = await this.store.items(dataset.id, version.version, {
      limit: options.limit ?? 20,
      offset: options.offset ?? 0,
      split: options.split,
    });
    return { version, items };
  }

  delete(projectId: string, idOrName: string): Promise<void> {
    return this.store.delete(projectId, idOrName);
  }
}

function columnsOf(rows: readonly Row[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}
