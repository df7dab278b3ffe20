/**
 * @module data/data-service
 * Data sources, their catalog and read-only SQL, per project. Uploaded files live under
 * `<dataDir>/data/<projectId>/` (0700 directories, 0600 files); local paths are accepted only
 * under the roots the configuration allows. Each project has its own embedded DuckDB engine
 * (see engine.ts), rebuilt when its sources change. Every query is checked by DuckDB's parser
 * (sql-check.ts), bounded by a row limit, a time limit and the caller's cancellation, and audited.
 */
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../core/private-files.js';
import type { GenerationService } from '../models/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import { type AskAnswer, type AskRequest, AskService } from './ask-service.js';
import { describeTable, type TableCatalog } from './catalog.js';
import { type DataFormat, openInstance, type PlannedQuery, ProjectEngine, readerOf } from './engine.js';
import type { ExportedResult, ExportFormat } from './export-spool.js';
import { GovernanceStore } from './governance-store.js';
import { type JoinKeyRow, JoinKeyStore } from './join-key-store.js';
import { discoverJoinKeys } from './join-keys.js';
import { maskedProjection, replaceMaskedTables } from './masking.js';
import type { QueryPage } from './query-pages.js';
import { type QueryParameter, type QueryResult, runBounded } from './query-runner.js';
import { SpooledResults } from './spooled-results.js';
import { checkReadOnly, deserializeSql, messageOf } from './sql-check.js';
import { suggestTags, type TagSuggestion } from './tag-suggestions.js';
import { TrinoEngine } from './trino/trino-engine.js';
import { TrinoProject } from './trino/trino-project.js';

export interface DataServiceOptions {
  db: DatabaseV1;
  audit: AuditRecorder;
  dataDir: string;
  /** Local folders whose files may be added as sources by path (none by default). */
  localRoots?: readonly string[];
  memoryLimit?: string;
  maxRows?: number;
  timeoutMs?: number;
  /** Keys the hashes of masked values (the server's secret key); a fixed key when absent (tests). */
  secretKey?: Buffer;
  exportMaxRows?: number;
  /** Projects whose tables live on Trino (project id → schema of `catalog`), and the endpoint. */
  trino?:
    | {
        server: string;
        user: string;
        password?: string | undefined;
        catalog: string;
        projects: Record<string, string>;
      }
    | undefined;
  /** Model calls for natural-language questions (`ask`). */
  generation?: Pick<GenerationService, 'generate'>;
}

export interface SourceRow {
  id: string;
  project_id: string;
  name: string;
  format: DataFormat;
  origin: 'upload' | 'local';
  path: string;
  size_bytes: number;
  description: string;
  column_descriptions: Record<string, string>;
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
  localPath?: string | undefined;
}

export interface QueryRequest {
  sql: string;
  /** Values for `$1`, `$2`, … in the SQL. */
  params?: readonly QueryParameter[] | undefined;
  maxRows?: number | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The caller's role: masking policies name roles. Absent: every policy applies (fails closed). */
  role?: string | undefined;
}

export interface QueryAnswer extends QueryResult {
  tables: string[];
  /** Tables read through their masked projection for this caller. */
  masked: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const FORMATS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.parquet': 'parquet',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
};
const columns =
  'id, project_id, name, format, origin, path, size_bytes::float8 AS size_bytes, description, column_descriptions, created_at, updated_at';

function invalid(field: string, code: string, message: string): never {
  throw new KeelError('invalid_request', message, { issues: [{ code, path: [field], message }] });
}

export class DataService {
  readonly maxRows: number;
  readonly timeoutMs: number;
  /** Most rows one export writes. */
  readonly exportMaxRows: number;
  private readonly engines = new Map<string, Promise<ProjectEngine>>();
  /** Column tags and masking policies. */
  readonly governance: GovernanceStore;
  /** Join keys between tables: proposed with evidence, decided by people. */
  readonly joinKeys: JoinKeyStore;
  private readonly memoryLimit: string;
  private readonly trinoProjects = new Map<string, TrinoProject>();
  /** Exports and paged results, written to spool files. */
  private readonly spooled: SpooledResults;
  private readonly statistics = new WeakMap<ProjectEngine, Map<string, Promise<TableCatalog>>>();

  constructor(private readonly options: DataServiceOptions) {
    this.governance = new GovernanceStore({
      db: options.db,
      audit: options.audit,
      secretKey: options.secretKey ?? Buffer.from('keel-data-masking'),
    });
    this.joinKeys = new JoinKeyStore({ db: options.db, audit: options.audit });
    this.memoryLimit = options.memoryLimit ?? '512MB';
    this.maxRows = options.maxRows ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.exportMaxRows = options.exportMaxRows ?? 10_000_000;
    this.spooled = new SpooledResults({
      timeoutMs: this.timeoutMs,
      exportMaxRows: this.exportMaxRows,
      dataDir: options.dataDir,
      secretKey: options.secretKey ?? Buffer.from('keel-data-pages'),
      notOnTrino: (projectId, what) => this.notOnTrino(projectId, what),
      engine: (projectId) => this.engine(projectId),
      plan: (projectId, engine, connection, request) => this.plan(projectId, engine, connection, request),
      audited: (projectId, request, tables, rows, truncated) =>
        this.audited(projectId, request, tables, rows, truncated),
      refused: (projectId, request, error) => this.refused(projectId, request, error),
    });
  }

  async sources(projectId: string): Promise<SourceRow[]> {
    const { rows } = await this.options.db.query<SourceRow>(
      `SELECT ${columns} FROM data_sources WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return rows;
  }

  async source(projectId: string, name: string): Promise<SourceRow> {
    const { rows } = await this.options.db.query<SourceRow>(
      `SELECT ${columns} FROM data_sources WHERE project_id = $1 AND lower(name) = lower($2)`,
      [projectId, name],
    );
    if (!rows[0]) {
      throw new KeelError('not_found', `No table "${name}" in this project's data.`, {
        issues: [{ code: 'unknown_table', path: ['name'], message: `unknown table ${name}` }],
      });
    }
    return rows[0];
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
    let origin: 'upload' | 'local';
    const formatOf = (name: string) =>
      input.format ??
      FORMATS[path.extname(name).toLowerCase()] ??
      invalid('format', 'unknown_format', 'Say the format: csv, parquet or json.');
    let format: DataFormat;
    if (input.data) {
      format = formatOf(input.fileName ?? '');
      const dir = path.join(this.options.dataDir, 'data', projectId);
      await makePrivateDir(dir);
      const extension = path.extname(input.fileName ?? '').toLowerCase();
      file = path.join(dir, `${id}${FORMATS[extension] === format ? extension : `.${format}`}`);
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
      format = formatOf(file);
      origin = 'local';
    } else {
      invalid('file', 'missing_file', 'Send a file or a local path.');
    }
    let size = 0;
    try {
      size = (await stat(file)).size;
      await probe(format, file, this.memoryLimit);
    } catch (error) {
      if (origin === 'upload') await rm(file, { force: true });
      if (error instanceof KeelError) throw error;
      throw new KeelError('invalid_data_file', `The ${format} file could not be read: ${messageOf(error)}`, {
        issues: [{ code: 'unreadable_file', path: ['file'], message: messageOf(error) }],
      });
    }
    await this.options.db.query(
      `INSERT INTO data_sources (id, project_id, name, format, origin, path, size_bytes, description, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, projectId, input.name, format, origin, file, size, input.description ?? '', actor ?? null],
    );
    this.invalidate(projectId);
    this.options.audit.record({
      action: 'data.source.create',
      projectId,
      target: { type: 'data_source', id },
      after: { name: input.name, format, origin },
      detail: { name: input.name, format, origin, sizeBytes: size },
    });
    return this.source(projectId, input.name);
  }

  async remove(projectId: string, name: string): Promise<void> {
    const source = await this.source(projectId, name);
    await this.options.db.query('DELETE FROM data_sources WHERE id = $1', [source.id]);
    if (source.origin === 'upload') await rm(source.path, { force: true });
    this.invalidate(projectId);
    this.options.audit.record({
      action: 'data.source.delete',
      projectId,
      target: { type: 'data_source', id: source.id },
      detail: { name: source.name },
    });
  }

  /** Edits the descriptions of a table and of its columns (columns not named keep theirs). */
  async describe(
    projectId: string,
    name: string,
    input: { description?: string | undefined; columns?: Record<string, string> | undefined },
  ): Promise<SourceRow> {
    const source = await this.source(projectId, name);
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
    return this.source(projectId, name);
  }

  /**
   * A table's catalog entry: columns, types, row count, null rates, sample values, descriptions,
   * tags, and how each column is masked for `role` (a masked column shows no samples).
   */
  async catalog(projectId: string, name: string, role?: string): Promise<TableCatalog> {
    const trino = this.trinoOf(projectId);
    if (trino) {
      if (!(await trino.tables()).has(name.toLowerCase())) {
        throw new KeelError('not_found', `No table "${name}" in this project's data.`, {
          issues: [{ code: 'unknown_table', path: ['name'], message: `unknown table ${name}` }],
        });
      }
      return this.decorated(projectId, await trino.describe(name.toLowerCase()), '', {}, role);
    }
    return this.catalogOf(projectId, await this.source(projectId, name), role);
  }

  /** Every table's catalog entry, as `catalog` gives it. */
  async catalogs(projectId: string, role?: string): Promise<TableCatalog[]> {
    const entries: TableCatalog[] = [];
    const trino = this.trinoOf(projectId);
    if (trino) {
      for (const name of (await trino.tables()).keys())
        entries.push(await this.catalog(projectId, name, role));
      return entries;
    }
    for (const source of await this.sources(projectId))
      entries.push(await this.catalogOf(projectId, source, role));
    return entries;
  }

  /** Checks a query for the caller without running it: the tables it reads and those read masked. */
  async check(projectId: string, request: Pick<QueryRequest, 'sql' | 'role'>): Promise<PlannedQuery> {
    const trino = this.trinoOf(projectId);
    if (trino) {
      const masks = await this.governance.planFor(projectId, request.role);
      return trino.plan(request.sql, masks.plan, this.governance.saltOf(projectId));
    }
    const engine = await this.engine(projectId);
    const connection = await engine.acquire();
    try {
      return await this.plan(projectId, engine, connection, request);
    } finally {
      engine.release(connection, true);
    }
  }

  private async catalogOf(
    projectId: string,
    source: SourceRow,
    role: string | undefined,
  ): Promise<TableCatalog> {
    const engine = await this.engine(projectId);
    let tables = this.statistics.get(engine);
    if (!tables) {
      tables = new Map();
      this.statistics.set(engine, tables);
    }
    const key = source.name.toLowerCase();
    let statistics = tables.get(key);
    if (!statistics) {
      // Row counts, null rates and samples are computed once per engine (its sources are fixed).
      statistics = (async () => {
        const connection = await engine.acquire();
        let healthy = false;
        try {
          const table = await describeTable(connection, source.name, '', {});
          healthy = true;
          return table;
        } finally {
          engine.release(connection, healthy);
        }
      })();
      statistics.catch(() => tables.delete(key));
      tables.set(key, statistics);
    }
    return this.decorated(projectId, await statistics, source.description, source.column_descriptions, role);
  }

  /** A table's statistics with its descriptions, tags and the caller's masks (a masked column shows no samples). */
  private async decorated(
    projectId: string,
    table: TableCatalog,
    description: string,
    columnDescriptions: Record<string, string>,
    role: string | undefined,
  ): Promise<TableCatalog> {
    const key = table.name.toLowerCase();
    const masks = (await this.governance.planFor(projectId, role)).plan.get(key);
    const tags = (await this.governance.snapshot(projectId)).tags.filter(
      (tag) => tag.table.toLowerCase() === key,
    );
    return {
      ...table,
      description,
      columns: table.columns.map((column) => {
        const masked = masks?.get(column.name.toLowerCase()) ?? null;
        return {
          ...column,
          samples: masked ? [] : column.samples,
          description: columnDescriptions[column.name] ?? '',
          tags: tags.filter((tag) => tag.column === column.name).map((tag) => tag.tag),
          masked,
        };
      }),
    };
  }

  /** Answers a question in Korean or English with checked, masked, read-only SQL (ask-service.ts). */
  async ask(projectId: string, request: AskRequest): Promise<AskAnswer> {
    const generation = this.options.generation;
    if (!generation) {
      throw new KeelError('unprocessable', 'Questions need a model: this server has no generation service.', {
        issues: [{ code: 'no_model', path: ['model'], message: 'no generation service' }],
      });
    }
    return new AskService({ data: this, generation }).ask(projectId, request);
  }

  /** Runs a query as an export file (spooled-results.ts), streamed to the caller and removed. */
  export(projectId: string, request: QueryRequest & { format: ExportFormat }): Promise<ExportedResult> {
    return this.spooled.export(projectId, request);
  }

  /** Runs a query whose result is read in pages (spooled-results.ts): its first page and the next token. */
  queryPaged(projectId: string, request: QueryRequest & { pageSize: number }): Promise<QueryPage> {
    return this.spooled.queryPaged(projectId, request);
  }

  /** The page a token names, for the project and role it was issued to. */
  page(
    projectId: string,
    token: string,
    options: Pick<QueryRequest, 'role' | 'signal' | 'timeoutMs'> = {},
  ): Promise<QueryPage> {
    return this.spooled.page(projectId, token, options);
  }

  /** Suggested tags for a table's columns, from the PII detectors run over sampled values. */
  async suggestTags(projectId: string, name: string): Promise<TagSuggestion[]> {
    const source = await this.source(projectId, name);
    return this.withConnection(projectId, (connection, engine) =>
      suggestTags(connection, source.name, engine.columns.get(source.name.toLowerCase()) ?? []),
    );
  }

  /** Proposes join keys between the project's tables (join-keys.ts) and stores them with their evidence. */
  async discoverJoins(projectId: string, actor?: string): Promise<JoinKeyRow[]> {
    const sources = await this.sources(projectId);
    const candidates = await this.withConnection(projectId, (connection, engine) =>
      discoverJoinKeys(
        connection,
        sources.map((source) => ({
          name: source.name,
          columns: engine.columns.get(source.name.toLowerCase()) ?? [],
        })),
      ),
    );
    return this.joinKeys.saveDiscovered(projectId, candidates, actor);
  }

  /** The project's join keys between tables it still has, best first. */
  async joins(projectId: string): Promise<JoinKeyRow[]> {
    const names = new Set((await this.sources(projectId)).map((source) => source.name.toLowerCase()));
    return this.joinKeys.list(projectId, names);
  }

  /** Runs `work` on one connection of the project's engine, released afterwards. */
  private async withConnection<T>(
    projectId: string,
    work: (connection: DuckDBConnection, engine: ProjectEngine) => Promise<T>,
  ): Promise<T> {
    const engine = await this.engine(projectId);
    const connection = await engine.acquire();
    let healthy = false;
    try {
      const value = await work(connection, engine);
      healthy = true;
      return value;
    } finally {
      engine.release(connection, healthy);
    }
  }

  /** Runs one read-only SELECT over the project's tables, masked for the caller's role. */
  async query(projectId: string, request: QueryRequest): Promise<QueryAnswer> {
    const trino = this.trinoOf(projectId);
    if (trino) return this.queryOnTrino(trino, projectId, request);
    const engine = await this.engine(projectId);
    const connection = await engine.acquire();
    let healthy = false;
    try {
      const planned = await this.plan(projectId, engine, connection, request);
      const maxRows = Math.min(request.maxRows ?? this.maxRows, this.maxRows);
      const result = await runBounded(connection, planned.sql, {
        maxRows,
        params: request.params,
        timeoutMs: Math.min(request.timeoutMs ?? this.timeoutMs, this.timeoutMs),
        signal: request.signal,
      });
      this.audited(projectId, request, planned.tables, result.rows.length, result.truncated);
      healthy = true;
      return { ...result, tables: planned.tables, masked: planned.masked };
    } catch (error) {
      // A refusal by the checks leaves the connection as it was.
      healthy = error instanceof KeelError && error.code !== 'timeout' && error.code !== 'client_closed';
      this.refused(projectId, request, error);
      throw error;
    } finally {
      engine.release(connection, healthy);
    }
  }

  /** The project's tables on Trino, when the configuration gives it a schema there. */
  trinoOf(projectId: string): TrinoProject | undefined {
    const trino = this.options.trino;
    const schema = trino?.projects[projectId];
    if (!trino || !schema) return undefined;
    let project = this.trinoProjects.get(projectId);
    if (!project) {
      const { projects: _, ...endpoint } = trino;
      project = new TrinoProject(new TrinoEngine({ ...endpoint, schema }), this.timeoutMs);
      this.trinoProjects.set(projectId, project);
    }
    return project;
  }

  /** Exports and paged results are spooled by DuckDB; a project on Trino gets neither yet. */
  private notOnTrino(projectId: string, what: string): void {
    if (!this.trinoOf(projectId)) return;
    throw new KeelError('not_implemented', `${what} are not available for a project on Trino yet.`, {
      issues: [
        { code: 'not_on_trino', path: ['format'], message: `${what.toLowerCase()} run on DuckDB only` },
      ],
    });
  }

  /** `query` on Trino: the same checks and masks (trino-project.ts), the same bounds and audit. */
  private async queryOnTrino(
    trino: TrinoProject,
    projectId: string,
    request: QueryRequest,
  ): Promise<QueryAnswer> {
    try {
      if (request.params?.length) {
        throw new KeelError(
          'invalid_request',
          'Queries on Trino take no params: write the values into the SQL.',
          {
            issues: [{ code: 'params_not_supported', path: ['params'], message: 'not on Trino' }],
          },
        );
      }
      const masks = await this.governance.planFor(projectId, request.role);
      const planned = await trino.plan(request.sql, masks.plan, this.governance.saltOf(projectId));
      const result = await trino.run(planned.sql, {
        maxRows: Math.min(request.maxRows ?? this.maxRows, this.maxRows),
        timeoutMs: Math.min(request.timeoutMs ?? this.timeoutMs, this.timeoutMs),
        signal: request.signal,
      });
      this.audited(projectId, request, planned.tables, result.rows.length, result.truncated);
      return { ...result, tables: planned.tables, masked: planned.masked };
    } catch (error) {
      this.refused(projectId, request, error);
      throw error;
    }
  }

  /**
   * Checks a query and rewrites it under the caller's masks: the SQL to run, the tables it reads
   * and the ones read masked. Plans are kept per engine, so a query sent again skips the parser.
   */
  async plan(
    projectId: string,
    engine: ProjectEngine,
    connection: DuckDBConnection,
    request: Pick<QueryRequest, 'sql' | 'role'>,
  ): Promise<PlannedQuery> {
    const masks = await this.governance.planFor(projectId, request.role);
    const key = `${masks.key}\u0000${request.sql}`;
    const known = engine.planned(key);
    if (known) return known;
    const { tables, tree } = await checkReadOnly(connection, request.sql, engine.tables);
    const projections = new Map<string, unknown>();
    for (const table of tables) {
      const masked = masks.plan.get(table);
      const columns = engine.columns.get(table);
      if (!masked?.size || !columns) continue;
      const projection = maskedProjection(table, columns, masked, this.governance.saltOf(projectId));
      const { tree: projected } = await checkReadOnly(connection, projection, engine.tables);
      projections.set(table, projected);
    }
    let sql = request.sql;
    let masked: string[] = [];
    if (projections.size) {
      masked = replaceMaskedTables(tree, projections);
      sql = await deserializeSql(connection, tree);
    }
    const planned = { tables, sql, masked };
    engine.remember(key, planned);
    return planned;
  }

  private audited(
    projectId: string,
    request: QueryRequest,
    tables: string[],
    rows: number,
    truncated: boolean,
  ): void {
    this.options.audit.record({
      action: 'data.query',
      projectId,
      target: { type: 'data_query' },
      detail: {
        sql: request.sql.slice(0, 1000),
        tables: tables.join(','),
        rows,
        truncated,
        role: request.role ?? null,
      },
    });
  }

  private refused(projectId: string, request: QueryRequest, error: unknown): void {
    this.options.audit.record({
      action: 'data.query.refused',
      projectId,
      target: { type: 'data_query' },
      detail: {
        sql: request.sql.slice(0, 1000),
        code: error instanceof KeelError ? error.code : 'internal',
        role: request.role ?? null,
      },
    });
  }

  close(): void {
    for (const project of this.trinoProjects.values()) project.close();
    for (const engine of this.engines.values()) void engine.then((open) => open.close()).catch(() => {});
    this.engines.clear();
  }

  private invalidate(projectId: string): void {
    // Not closed here: a query may still run on it; the instance is released with its last use.
    this.engines.delete(projectId);
  }

  private engine(projectId: string): Promise<ProjectEngine> {
    let engine = this.engines.get(projectId);
    if (!engine) {
      engine = this.sources(projectId).then((sources) =>
        ProjectEngine.open(sources, {
          memoryLimit: this.memoryLimit,
          spoolDir: this.spooled.spoolDir(projectId),
        }).catch((error: unknown) => {
          // A source file removed or changed on disk since it was added.
          throw new KeelError(
            'invalid_data_file',
            `A source of this project can no longer be read: ${messageOf(error)}`,
            {
              issues: [{ code: 'unreadable_source', path: ['sources'], message: messageOf(error) }],
            },
          );
        }),
      );
      engine.catch(() => this.engines.delete(projectId));
      this.engines.set(projectId, engine);
    }
    return engine;
  }
}

/** Reads the whole file once in a scratch engine: a malformed file fails here, not at query time. */
async function probe(format: DataFormat, file: string, memoryLimit: string): Promise<void> {
  const instance = await openInstance({ memoryLimit });
  try {
    const connection = await instance.connect();
    try {
      await connection.run(`SELECT count(*) FROM ${readerOf(format, file)}`);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
