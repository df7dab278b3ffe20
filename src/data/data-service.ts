/**
 * @module data/data-service
 * Read-only SQL over a project's data. Sources live in data-sources.ts and the catalog a caller
 * sees in table-catalog.ts; this file is the query path. Each project has its own embedded DuckDB
 * engine (see engine.ts), rebuilt when its sources change, or a schema on Trino. Every query is
 * checked by DuckDB's parser (sql-check.ts), bounded by a row limit, a time limit and the caller's
 * cancellation, and audited.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';
import { changeFeed } from '../storage/core/cache-invalidation.js';
import { type AskAnswer, type AskRequest, AskService } from './ask-service.js';
import type { TableCatalog } from './catalog.js';
import type { DataServiceOptions } from './data-service-options.js';
import { type AddSource, DataSources, type SourceRow } from './data-sources.js';
import { DescriptionReview, DraftStore } from './description-drafts.js';
import { type PlannedQuery, ProjectEngine } from './engine.js';
import type { ExportedResult, ExportFormat } from './export-spool.js';
import { GovernanceStore } from './governance-store.js';
import { type JoinKeyRow, JoinKeyStore } from './join-key-store.js';
import { discoverJoinKeys } from './join-keys.js';
import { auditQuery, auditRefusal, type QueryOrigin } from './query-audit.js';
import type { QueryPage } from './query-pages.js';
import { planQuery } from './query-plan.js';
import type { QueryParameter, QueryResult } from './query-runner.js';
import { runChecked } from './shape-plan.js';
import { SpooledResults } from './spooled-results.js';
import { messageOf } from './sql-check.js';
import { TableCatalogs } from './table-catalog.js';
import { suggestTags, type TagSuggestion } from './tag-suggestions.js';
import { TrinoEngine } from './trino/trino-engine.js';
import { TrinoProject } from './trino/trino-project.js';

export interface QueryRequest {
  sql: string;
  /** Values for `$1`, `$2`, … in the SQL. */
  params?: readonly QueryParameter[] | undefined;
  maxRows?: number | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The caller's role: masking policies name roles. Absent: every policy applies (fails closed). */
  role?: string | undefined;
  /** Who asked, for the audit record; absent, the request scope says it. */
  origin?: QueryOrigin | undefined;
}

export interface QueryAnswer extends QueryResult {
  tables: string[];
  /** Tables read through their masked projection for this caller. */
  masked: string[];
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
  /** The project's sources (files and local paths). */
  readonly sourceStore: DataSources;
  /** The catalog each caller sees (statistics, descriptions, tags, masks). */
  private readonly catalogView: TableCatalogs;
  /** Descriptions drafted by a model and reviewed by a person (description-drafts.ts). */
  readonly descriptions: DescriptionReview;

  constructor(private readonly options: DataServiceOptions) {
    this.governance = new GovernanceStore({
      db: options.db,
      audit: options.audit,
      secretKey: options.secretKey ?? Buffer.from('keel-data-masking'),
    });
    this.joinKeys = new JoinKeyStore({ db: options.db, audit: options.audit });
    this.memoryLimit = options.memoryLimit ?? '512MB';
    this.sourceStore = new DataSources({
      db: options.db,
      audit: options.audit,
      dataDir: options.dataDir,
      shared: options.shared,
      extensionDirectory: options.extensionDirectory,
      allowPrivateNetwork: options.allowPrivateNetwork,
      secretKey: options.secretKey ?? Buffer.from('keel-data-connections'),
      localRoots: options.localRoots,
      memoryLimit: this.memoryLimit,
      changed: (projectId) => this.invalidate(projectId),
    });
    // A source added or removed on another replica: this replica's engine is rebuilt too.
    changeFeed(options.db).subscribe('data_sources', (projectId) =>
      projectId === '*' ? this.engines.clear() : this.invalidate(projectId),
    );
    this.catalogView = new TableCatalogs({
      sources: this.sourceStore,
      governance: this.governance,
      engine: (projectId) => this.engine(projectId),
      trinoOf: (projectId) => this.trinoOf(projectId),
    });
    this.descriptions = new DescriptionReview({
      catalog: (projectId, name, role) => this.catalog(projectId, name, role),
      sources: new DraftStore({
        db: options.db,
        audit: options.audit,
        get: (projectId, name) => this.sourceStore.get(projectId, name),
      }),
      generation: options.generation,
    });
    this.maxRows = options.maxRows ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.exportMaxRows = options.exportMaxRows ?? 10_000_000;
    this.spooled = new SpooledResults({
      timeoutMs: this.timeoutMs,
      exportMaxRows: this.exportMaxRows,
      dataDir: options.dataDir,
      secretKey: options.secretKey ?? Buffer.from('keel-data-pages'),
      trinoOf: (projectId) => this.trinoOf(projectId),
      planOnTrino: (projectId, request) => this.planOnTrino(this.trinoOf(projectId)!, projectId, request),
      engine: (projectId) => this.engine(projectId),
      plan: (projectId, engine, connection, request) => this.plan(projectId, engine, connection, request),
      audited: (projectId, request, tables, rows, truncated) =>
        auditQuery(options.audit, projectId, request, { tables, rows, truncated }),
      refused: (projectId, request, error) => auditRefusal(options.audit, projectId, request, error),
    });
  }

  sources(projectId: string): Promise<SourceRow[]> {
    return this.sourceStore.list(projectId);
  }

  source(projectId: string, name: string): Promise<SourceRow> {
    return this.sourceStore.get(projectId, name);
  }

  /** Adds a source (data-sources.ts): the file is read once before it is recorded. */
  add(projectId: string, input: AddSource, actor?: string): Promise<SourceRow> {
    return this.sourceStore.add(projectId, input, actor);
  }

  remove(projectId: string, name: string): Promise<void> {
    return this.sourceStore.remove(projectId, name);
  }

  /** Reads a PostgreSQL source's table again (data-sources.ts). */
  refresh(projectId: string, name: string): Promise<SourceRow> {
    return this.sourceStore.refresh(projectId, name);
  }

  /** Edits the descriptions of a table and of its columns (columns not named keep theirs). */
  describe(
    projectId: string,
    name: string,
    input: { description?: string | undefined; columns?: Record<string, string> | undefined },
  ): Promise<SourceRow> {
    return this.sourceStore.describe(projectId, name, input);
  }

  /** A table's catalog entry for the caller's role (table-catalog.ts). */
  catalog(projectId: string, name: string, role?: string): Promise<TableCatalog> {
    return this.catalogView.get(projectId, name, role);
  }

  /** Every table's catalog entry, as `catalog` gives it. */
  catalogs(projectId: string, role?: string): Promise<TableCatalog[]> {
    return this.catalogView.list(projectId, role);
  }

  /** Checks a query for the caller without running it: the tables it reads and those read masked. */
  async check(projectId: string, request: Pick<QueryRequest, 'sql' | 'role'>): Promise<PlannedQuery> {
    const trino = this.trinoOf(projectId);
    if (trino) return this.planOnTrino(trino, projectId, request);
    const engine = await this.engine(projectId);
    const connection = await engine.acquire();
    try {
      return await this.plan(projectId, engine, connection, request);
    } finally {
      engine.release(connection, true);
    }
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
      // Through the query's shape when one is known (shape-plan.ts), else the full path.
      const { planned, result } = await runChecked(
        { governance: this.governance, projectId, engine, connection },
        request,
        {
          maxRows: Math.min(request.maxRows ?? this.maxRows, this.maxRows),
          timeoutMs: Math.min(request.timeoutMs ?? this.timeoutMs, this.timeoutMs),
          signal: request.signal,
        },
      );
      auditQuery(this.options.audit, projectId, request, {
        tables: planned.tables,
        rows: result.rows.length,
        truncated: result.truncated,
      });
      healthy = true;
      return { ...result, tables: planned.tables, masked: planned.masked };
    } catch (error) {
      // A refusal by the checks leaves the connection as it was.
      healthy = error instanceof KeelError && error.code !== 'timeout' && error.code !== 'client_closed';
      auditRefusal(this.options.audit, projectId, request, error);
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

  /** A query checked, masked and (with `params`) bound for the project's schema on Trino. */
  private async planOnTrino(
    trino: TrinoProject,
    projectId: string,
    request: Pick<QueryRequest, 'sql' | 'role'>,
    params?: readonly QueryParameter[],
  ): Promise<PlannedQuery> {
    const masks = await this.governance.planFor(projectId, request.role);
    return trino.plan(request.sql, masks.plan, this.governance.saltOf(projectId), params);
  }

  /** `query` on Trino: the same checks, masks and params (trino-project.ts), bounds and audit. */
  private async queryOnTrino(
    trino: TrinoProject,
    projectId: string,
    request: QueryRequest,
  ): Promise<QueryAnswer> {
    try {
      const planned = await this.planOnTrino(trino, projectId, request, request.params ?? []);
      const result = await trino.run(planned.sql, {
        maxRows: Math.min(request.maxRows ?? this.maxRows, this.maxRows),
        timeoutMs: Math.min(request.timeoutMs ?? this.timeoutMs, this.timeoutMs),
        signal: request.signal,
      });
      auditQuery(this.options.audit, projectId, request, {
        tables: planned.tables,
        rows: result.rows.length,
        truncated: result.truncated,
      });
      return { ...result, tables: planned.tables, masked: planned.masked };
    } catch (error) {
      auditRefusal(this.options.audit, projectId, request, error);
      throw error;
    }
  }

  /** Checks a query and rewrites it under the caller's masks (query-plan.ts). */
  plan(
    projectId: string,
    engine: ProjectEngine,
    connection: DuckDBConnection,
    request: Pick<QueryRequest, 'sql' | 'role'>,
  ): Promise<PlannedQuery> {
    return planQuery(this.governance, projectId, engine, connection, request);
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
      engine = this.sources(projectId).then(async (sources) => {
        await this.sourceStore.fetchMissing(sources);
        return ProjectEngine.open(sources, {
          memoryLimit: this.memoryLimit,
          extensionDirectory: this.options.extensionDirectory,
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
        });
      });
      engine.catch(() => this.engines.delete(projectId));
      this.engines.set(projectId, engine);
    }
    return engine;
  }
}
