/**
 * @module data/data-sources
 * A project's data sources (`data_sources`): files uploaded under `<dataDir>/data/<projectId>/`
 * (0700 directories, 0600 files) or local paths under the roots the configuration allows. A file
 * is read once when it is added (a malformed file is refused then, not at query time); every
 * change is audited and reported through `changed` (the project's engine is rebuilt).
 *
 * Several replicas: an upload is also kept in the shared file store when one is configured
 * (`files.storage: s3`), and a replica that lacks the file fetches it into its own folder before
 * its engine opens (the local copy is a derived file). The row names an upload by its file name,
 * not by a path of the replica that received it.
 */
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { assertPublicUrl } from '../core/outbound-url.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../core/private-files.js';
import type { SealedMapping } from '../guardrails/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { FileStoreV1 } from '../spec/file-store.js';
import type { DescriptionDraft } from './description-drafts.js';
import { type DataFormat, databaseFormats } from './engine.js';
import { openConnection, sealConnection, snapshotPostgres } from './postgres-snapshot.js';
import { probe, sizeOf } from './source-probe.js';
import { messageOf } from './sql-check.js';

export interface SourceRow {
  id: string;
  project_id: string;
  name: string;
  format: DataFormat;
  origin: 'upload' | 'local' | 'remote';
  /** A file, a local folder (ending in `/`) whose files are read together, or a URL. */
  path: string;
  /** The table read, in a DuckDB or SQLite database file or a PostgreSQL database. */
  source_table: string | null;
  /** A PostgreSQL source's connection URL, sealed. */
  connection: SealedMapping | null;
  size_bytes: number;
  description: string;
  column_descriptions: Record<string, string>;
  /** Descriptions a model drafted, waiting for a person's review (description-drafts.ts). */
  description_draft: DescriptionDraft | null;
  created_at: Date;
  updated_at: Date;
}

export interface AddSource {
  name: string;
  format?: DataFormat | undefined;
  description?: string | undefined;
  /** Uploaded bytes (with `fileName` for the format), or a local path. */
  data?: Uint8Array | undefined;
  fileName?: string | undefined;
  /** A local file or folder (CSV, Parquet or JSON files read together) under an allowed folder. */
  localPath?: string | undefined;
  /** The table to read from a DuckDB or SQLite file (default: its only table). */
  table?: string | undefined;
  /**
   * An https URL of a CSV, Parquet or JSON file, or of an Iceberg table (`format: iceberg`); or a
   * `postgres://` URL, whose `table` is read into a snapshot.
   */
  url?: string | undefined;
}

/** The largest file uploaded as a source. */
export const DATA_UPLOAD_LIMIT_BYTES = 256 * 1024 * 1024;

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const FORMATS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.parquet': 'parquet',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
  '.duckdb': 'duckdb',
  '.sqlite': 'sqlite',
  '.sqlite3': 'sqlite',
};
const columns =
  'id, project_id, name, format, origin, path, source_table, connection, size_bytes::float8 AS size_bytes, description, column_descriptions, description_draft, created_at, updated_at';

function invalid(field: string, code: string, message: string): never {
  throw new KeelError('invalid_request', message, { issues: [{ code, path: [field], message }] });
}

export interface DataSourcesOptions {
  db: DatabaseV1;
  audit: AuditRecorder;
  dataDir: string;
  /** Local folders whose files may be added as sources by path (none by default). */
  localRoots?: readonly string[] | undefined;
  memoryLimit: string;
  /** Where DuckDB extensions are loaded from (SQLite files, URLs and Iceberg tables need them). */
  extensionDirectory?: string | undefined;
  /** Whether URLs may name private and loopback addresses (`security.allowPrivateNetworkFetch`). */
  allowPrivateNetwork?: boolean | undefined;
  /** Seals PostgreSQL connection URLs (the server key). */
  secretKey: Buffer;
  /** Where uploads are kept for every replica (S3 when configured); else only this replica has them. */
  shared?: FileStoreV1 | undefined;
  /** Called after a project's sources changed. */
  changed(projectId: string): void;
}

export class DataSources {
  constructor(private readonly options: DataSourcesOptions) {}

  async list(projectId: string): Promise<SourceRow[]> {
    const { rows } = await this.options.db.query<SourceRow>(
      `SELECT ${columns} FROM data_sources WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return rows.map((row) => this.#local(row));
  }

  /** The row with `path` on this replica: an upload's file in this replica's folder. */
  #local(row: SourceRow): SourceRow {
    // Uploads recorded before replicas shared them carry the receiving replica's full path.
    if ((row.origin !== 'upload' && row.format !== 'postgres') || path.isAbsolute(row.path)) return row;
    return { ...row, path: this.#uploadPath(row.project_id, row.path) };
  }

  #checkPostgresUrl(url: string): Promise<URL> {
    return assertPublicUrl(url, {
      allowPrivateNetwork: this.options.allowPrivateNetwork === true,
      protocols: ['postgres:', 'postgresql:'],
    });
  }

  #uploadPath(projectId: string, name: string): string {
    return path.join(this.options.dataDir, 'data', projectId, name);
  }

  /**
   * Makes sure this replica has every uploaded file of `sources` (rows from `list`), fetching
   * missing ones from the shared file store; without one, a file uploaded through another replica
   * is a coded `invalid_data_file` that says how to share uploads.
   */
  async fetchMissing(sources: readonly SourceRow[]): Promise<void> {
    for (const source of sources) {
      if (source.origin !== 'upload' && source.format !== 'postgres') continue;
      const exists = await stat(source.path).then(
        () => true,
        () => false,
      );
      if (exists) continue;
      if (source.format === 'postgres') {
        await this.#snapshot(source, source.path);
        continue;
      }
      const shared = this.options.shared;
      if (!shared) {
        throw new KeelError(
          'invalid_data_file',
          `The file of table "${source.name}" is not on this server: it was uploaded through another replica. Set files.storage: s3 so that every replica can read uploads.`,
          { issues: [{ code: 'upload_on_other_replica', path: ['sources'], message: source.name }] },
        );
      }
      const bytes = await shared.read(source.project_id, path.basename(source.path));
      await makePrivateDir(path.dirname(source.path));
      const partial = `${source.path}.${process.pid}.part`;
      await writeFile(partial, bytes, { mode: PRIVATE_FILE_MODE });
      await rename(partial, source.path);
    }
  }

  async get(projectId: string, name: string): Promise<SourceRow> {
    const { rows } = await this.options.db.query<SourceRow>(
      `SELECT ${columns} FROM data_sources WHERE project_id = $1 AND lower(name) = lower($2)`,
      [projectId, name],
    );
    if (!rows[0]) {
      throw new KeelError('not_found', `No table "${name}" in this project's data.`, {
        issues: [{ code: 'unknown_table', path: ['name'], message: `unknown table ${name}` }],
      });
    }
    return this.#local(rows[0]);
  }

  /** Adds a source: the file is read once (a malformed file is refused) before it is recorded. */
  async add(projectId: string, input: AddSource, actor?: string): Promise<SourceRow> {
    if (!NAME.test(input.name)) {
      invalid('name', 'invalid_name', 'A table name is letters, digits and _ (not starting with a digit).');
    }
    const existing = await this.options.db.query(
      'SELECT 1 FROM data_sources WHERE project_id = $1 AND lower(name) = lower($2)',
      [projectId, input.name],
    );
    if (existing.rows.length) {
      throw new KeelError('conflict', `A table "${input.name}" already exists.`, {
        issues: [{ code: 'duplicate_name', path: ['name'], message: 'name taken' }],
      });
    }
    const id = newId('dsrc');
    let file: string;
    /** What the row keeps: an upload's file name, or the local path. */
    let stored: string;
    let origin: SourceRow['origin'];
    let connection: SealedMapping | null = null;
    const formatOf = (name: string) =>
      input.format ??
      FORMATS[path.extname(name).toLowerCase()] ??
      invalid('format', 'unknown_format', 'Say the format: csv, parquet, json, duckdb or sqlite.');
    let format: DataFormat;
    if (input.data) {
      format = formatOf(input.fileName ?? '');
      const extension = path.extname(input.fileName ?? '').toLowerCase();
      stored = `${id}${FORMATS[extension] === format ? extension : `.${format}`}`;
      file = this.#uploadPath(projectId, stored);
      await makePrivateDir(path.dirname(file));
      await writeFile(file, input.data, { mode: PRIVATE_FILE_MODE });
      origin = 'upload';
    } else if (input.localPath) {
      file = path.resolve(input.localPath);
      const roots = (this.options.localRoots ?? []).map((root) => path.resolve(root));
      if (!roots.some((root) => file === root || file.startsWith(root + path.sep))) {
        throw new KeelError(
          'forbidden',
          'Local paths are not allowed here (or not under an allowed folder).',
          {
            issues: [
              { code: 'local_path_not_allowed', path: ['path'], message: 'outside the allowed folders' },
            ],
          },
        );
      }
      const folder = (await stat(file).catch(() => undefined))?.isDirectory() === true;
      format = folder
        ? (input.format ??
          invalid('format', 'unknown_format', "Say the format of the folder's files: csv, parquet or json."))
        : formatOf(file);
      if (folder && databaseFormats.has(format))
        invalid('format', 'unknown_format', 'A folder is read as csv, parquet or json files.');
      if (folder) file = `${file}${path.sep}`;
      stored = file;
      origin = 'local';
    } else if (input.url && /^postgres(ql)?:\/\//i.test(input.url)) {
      await this.#checkPostgresUrl(input.url);
      format = 'postgres';
      origin = 'remote';
      stored = `${id}.parquet`;
      file = this.#uploadPath(projectId, stored);
      await makePrivateDir(path.dirname(file));
      const table =
        input.table ?? invalid('table', 'table_required', 'Name the table to read (schema.table).');
      await snapshotPostgres({ url: input.url, table }, file, this.options);
      connection = sealConnection(input.url, this.options.secretKey);
    } else if (input.url) {
      const url = await assertPublicUrl(input.url, {
        allowPrivateNetwork: this.options.allowPrivateNetwork === true,
      });
      format = input.format ?? formatOf(url.pathname);
      if (databaseFormats.has(format))
        invalid('format', 'unknown_format', 'A URL is read as csv, parquet, json or an Iceberg table.');
      file = url.href;
      stored = file;
      origin = 'remote';
    } else {
      invalid('file', 'missing_file', 'Send a file, a local path or a URL.');
    }
    let size = 0;
    let table: string | null = null;
    try {
      size = await sizeOf(file, format);
      table = await probe({ format, path: file, source_table: input.table ?? null }, this.options);
      if (format === 'postgres') table = input.table ?? null;
    } catch (error) {
      if (origin === 'upload' || format === 'postgres') await rm(file, { force: true });
      if (error instanceof KeelError) throw error;
      throw new KeelError('invalid_data_file', `The ${format} file could not be read: ${messageOf(error)}`, {
        issues: [{ code: 'unreadable_file', path: ['file'], message: messageOf(error) }],
      });
    }
    if (origin === 'upload' && input.data && this.options.shared) {
      await this.options.shared.write(projectId, stored, input.data).catch(async (error: unknown) => {
        await rm(file, { force: true });
        throw error;
      });
    }
    await this.options.db.query(
      `INSERT INTO data_sources (id, project_id, name, format, origin, path, source_table, connection, size_bytes, description, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        projectId,
        input.name,
        format,
        origin,
        stored,
        table,
        connection ? JSON.stringify(connection) : null,
        size,
        input.description ?? '',
        actor ?? null,
      ],
    );
    this.options.changed(projectId);
    this.options.audit.record({
      action: 'data.source.create',
      projectId,
      target: { type: 'data_source', id },
      after: { name: input.name, format, origin, table },
      detail: { name: input.name, format, origin, sizeBytes: size, ...(table ? { table } : {}) },
    });
    return this.get(projectId, input.name);
  }

  async remove(projectId: string, name: string): Promise<void> {
    const source = await this.get(projectId, name);
    await this.options.db.query('DELETE FROM data_sources WHERE id = $1', [source.id]);
    if (source.format === 'postgres') await rm(source.path, { force: true });
    if (source.origin === 'upload') {
      await rm(source.path, { force: true });
      await this.options.shared?.remove(projectId, path.basename(source.path)).catch(() => undefined);
    }
    this.options.changed(projectId);
    this.options.audit.record({
      action: 'data.source.delete',
      projectId,
      target: { type: 'data_source', id: source.id },
      detail: { name: source.name },
    });
  }

  /** Reads a PostgreSQL source's table again into a new snapshot (every replica reads it anew). */
  async refresh(projectId: string, name: string): Promise<SourceRow> {
    const source = await this.get(projectId, name);
    if (source.format !== 'postgres') {
      invalid(
        'name',
        'not_refreshable',
        `Table "${source.name}" is read from its file as it is; only PostgreSQL tables are refreshed.`,
      );
    }
    const stored = `${source.id}-${Date.now().toString(36)}.parquet`;
    const file = this.#uploadPath(projectId, stored);
    await this.#snapshot(source, file);
    const size = (await stat(file)).size;
    await this.options.db.query(
      'UPDATE data_sources SET path = $2, size_bytes = $3, updated_at = now() WHERE id = $1',
      [source.id, stored, size],
    );
    await rm(source.path, { force: true });
    this.options.changed(projectId);
    this.options.audit.record({
      action: 'data.source.refresh',
      projectId,
      target: { type: 'data_source', id: source.id },
      detail: { name: source.name, sizeBytes: size },
    });
    return this.get(projectId, name);
  }

  async #snapshot(source: SourceRow, file: string): Promise<void> {
    if (!source.connection || !source.source_table) {
      throw new KeelError('invalid_data_file', `Table "${source.name}" has no connection to read it from.`);
    }
    await makePrivateDir(path.dirname(file));
    const url = openConnection(source.connection, this.options.secretKey);
    // The host is checked again: its name may resolve elsewhere than when the source was added.
    await this.#checkPostgresUrl(url);
    await snapshotPostgres({ url, table: source.source_table }, file, this.options);
  }

  /** Edits the descriptions of a table and of its columns (columns not named keep theirs). */
  async describe(
    projectId: string,
    name: string,
    input: { description?: string | undefined; columns?: Record<string, string> | undefined },
  ): Promise<SourceRow> {
    const source = await this.get(projectId, name);
    const descriptions = { ...source.column_descriptions, ...(input.columns ?? {}) };
    await this.options.db.query(
      `UPDATE data_sources SET description = $2, column_descriptions = $3, updated_at = now() WHERE id = $1`,
      [source.id, input.description ?? source.description, JSON.stringify(descriptions)],
    );
    this.options.audit.record({
      action: 'data.source.describe',
      projectId,
      target: { type: 'data_source', id: source.id },
      before: { description: source.description, columns: source.column_descriptions },
      after: { description: input.description ?? source.description, columns: descriptions },
    });
    return this.get(projectId, name);
  }
}
