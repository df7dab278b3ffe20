/**
 * @module data/engine
 * One project's embedded DuckDB engine: an in-memory database with one view per source, opened
 * with one thread and a memory cap. Once the views exist, file access is narrowed to the sources'
 * own files (`allowed_paths`), external access is switched off and the configuration is locked,
 * so no query can reach another file, attach a database, install an extension or undo the limits.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';

export type DataFormat = 'csv' | 'parquet' | 'json' | 'duckdb' | 'sqlite' | 'iceberg' | 'postgres';

/** Formats that are database files: a source names one table in them. */
export const databaseFormats: ReadonlySet<DataFormat> = new Set(['duckdb', 'sqlite']);

export interface EngineSource {
  name: string;
  format: DataFormat;
  /** A file, or a folder (ending in the path separator) whose files of the format are read together. */
  path: string;
  /** The table read, in a database file. */
  source_table?: string | null;
}

export interface EngineOptions {
  memoryLimit: string;
  /** Where DuckDB extensions are loaded from (the sqlite extension for SQLite files); none: offline. */
  extensionDirectory?: string | undefined;
  /**
   * A private folder where exports are written (by the service's own COPY, never a user's: the
   * checks refuse COPY and file paths) before they are streamed out.
   */
  spoolDir?: string | undefined;
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdentifier(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** A folder source's path: its files are read together. */
export const isFolder = (file: string) => file.endsWith('/');

/** A remote source's path: a URL DuckDB reads through its httpfs extension. */
export const isRemote = (file: string) => /^https?:\/\//i.test(file);

/**
 * Loads the extensions `sources` need (httpfs for URLs, iceberg for Iceberg tables) from the
 * configured directory; without them the error names the file and where to put it.
 */
export async function loadExtensionsFor(
  connection: DuckDBConnection,
  sources: readonly Pick<EngineSource, 'format' | 'path'>[],
  directory: string | undefined,
): Promise<void> {
  if (sources.some((source) => isRemote(source.path))) await loadExtension(connection, 'httpfs', directory);
  if (sources.some((source) => source.format === 'iceberg'))
    await loadExtension(connection, 'iceberg', directory);
}

/** The table expression that reads a file (or a folder's files) of `format`; not for database files. */
export function readerOf(format: DataFormat, file: string): string {
  if (isFolder(file)) file = `${file}**/*.${format}`;
  if (format === 'iceberg') return `iceberg_scan(${sqlString(file)})`;
  // A PostgreSQL table is read from its Parquet snapshot (postgres-snapshot.ts).
  if (format === 'postgres') return `read_parquet(${sqlString(file)})`;
  if (format === 'csv') {
    // The delimiter and header are fixed and strict mode is on: DuckDB's sniffer would otherwise
    // read a malformed file as one text column instead of refusing it.
    const delimiter = file.toLowerCase().endsWith('.tsv') ? '\t' : ',';
    return `read_csv(${sqlString(file)}, delim = ${sqlString(delimiter)}, header = true, strict_mode = true)`;
  }
  if (format === 'parquet') return `read_parquet(${sqlString(file)})`;
  return `read_json_auto(${sqlString(file)})`;
}

export async function openInstance(options: EngineOptions): Promise<DuckDBInstance> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  return DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: options.memoryLimit,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
}

/** Connections kept open per engine between queries (a connection runs one query at a time). */
const IDLE_CONNECTIONS = 4;

/** Checked (and, where masks apply, rewritten) queries kept per engine, by mask plan and SQL text. */
const PLAN_CACHE = 512;

export interface PlannedQuery {
  /** The project tables the query reads. */
  tables: string[];
  /** The SQL to run: the query itself, or its tree with masked tables replaced. */
  sql: string;
  /** Tables read through their masked projection. */
  masked: string[];
}

/**
 * A literal query's shape checked once for every value (shape-plan.ts): its plan, with `$n` where
 * the constants were, and the DuckDB type each parameter is bound as. `full`: the shape may not be
 * parameterised, its queries take the full path.
 */
export type ShapedPlan = (PlannedQuery & { types: string[] }) | 'full';

/** A map that keeps its most recently used entries (used last; the first key is evicted). */
export class RecentMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}

export class ProjectEngine {
  readonly tables: ReadonlySet<string>;
  /** Each table's columns and types (lower-case table name). */
  readonly columns: ReadonlyMap<string, Array<{ name: string; type: string }>>;
  private readonly idle: DuckDBConnection[] = [];
  private readonly plans = new RecentMap<PlannedQuery>(PLAN_CACHE);
  /** Literal queries' shapes, by mask plan, constant kinds and shape text. */
  readonly shapes = new RecentMap<ShapedPlan>(PLAN_CACHE);

  private constructor(
    private readonly instance: DuckDBInstance,
    columns: Map<string, Array<{ name: string; type: string }>>,
  ) {
    this.columns = columns;
    this.tables = new Set(columns.keys());
  }

  /**
   * A query already checked on this engine (the tables do not change while it lives), so a query
   * sent again is not parsed again. `key` names the mask plan it was rewritten under.
   */
  planned(key: string): PlannedQuery | undefined {
    return this.plans.get(key);
  }

  remember(key: string, plan: PlannedQuery): void {
    this.plans.set(key, plan);
  }

  static async open(sources: readonly EngineSource[], options: EngineOptions): Promise<ProjectEngine> {
    const instance = await openInstance(options);
    const setup = await instance.connect();
    const columns = new Map<string, Array<{ name: string; type: string }>>();
    try {
      await loadExtensionsFor(setup, sources, options.extensionDirectory);
      for (const [index, source] of sources.entries()) {
        const from = databaseFormats.has(source.format)
          ? await attachTable(setup, source, `src_${index}`, options)
          : readerOf(source.format, source.path);
        await setup.run(`CREATE VIEW ${sqlIdentifier(source.name)} AS SELECT * FROM ${from}`);
        const shape = await setup.runAndReadAll(`DESCRIBE ${sqlIdentifier(source.name)}`);
        columns.set(
          source.name.toLowerCase(),
          (shape.getRowObjectsJson() as Array<{ column_name: string; column_type: string }>).map((row) => ({
            name: row.column_name,
            type: row.column_type,
          })),
        );
      }
      const files = sources.filter((source) => !isFolder(source.path) && !isRemote(source.path));
      // A remote source's URL, read through httpfs, is allowed as a path prefix like a folder.
      const remote = sources.filter((source) => isRemote(source.path)).map((source) => source.path);
      const paths = files.flatMap((source) =>
        databaseFormats.has(source.format) ? [source.path, `${source.path}.wal`] : [source.path],
      );
      const folders = sources.filter((source) => isFolder(source.path)).map((source) => source.path);
      folders.push(...remote);
      if (options.spoolDir) folders.push(`${options.spoolDir}/`);
      await setup.run(`SET allowed_paths = [${paths.map(sqlString).join(', ')}]`);
      await setup.run(`SET allowed_directories = [${folders.map(sqlString).join(', ')}]`);
      await setup.run('SET enable_external_access = false');
      await setup.run('SET lock_configuration = true');
    } catch (error) {
      setup.closeSync();
      instance.closeSync();
      throw error;
    }
    setup.closeSync();
    return new ProjectEngine(instance, columns);
  }

  /** A connection from the idle pool, or a new one. */
  async acquire(): Promise<DuckDBConnection> {
    return this.idle.pop() ?? this.instance.connect();
  }

  /**
   * Returns a connection after a query that ended normally; one that was interrupted or failed
   * is closed instead (its state is not trusted).
   */
  release(connection: DuckDBConnection, healthy: boolean): void {
    if (healthy && this.idle.length < IDLE_CONNECTIONS) this.idle.push(connection);
    else connection.closeSync();
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Attaches a database file read-only under `alias` and returns the table expression of the
 * source's table in it. SQLite files need DuckDB's sqlite extension, loaded from the configured
 * extension directory; without it the error says which file to put where.
 */
export async function attachTable(
  connection: DuckDBConnection,
  source: Pick<EngineSource, 'format' | 'path' | 'source_table'>,
  alias: string,
  options: Pick<EngineOptions, 'extensionDirectory'>,
): Promise<string> {
  if (source.format === 'sqlite') await loadExtension(connection, 'sqlite', options.extensionDirectory);
  const type = source.format === 'sqlite' ? ', TYPE sqlite' : '';
  await connection.run(`ATTACH ${sqlString(source.path)} AS ${sqlIdentifier(alias)} (READ_ONLY${type})`);
  return `${sqlIdentifier(alias)}.${sqlIdentifier(source.source_table ?? '')}`;
}

async function loadExtension(connection: DuckDBConnection, name: string, directory: string | undefined) {
  try {
    if (directory) await connection.run(`SET extension_directory = ${sqlString(directory)}`);
    await connection.run(`LOAD ${name}`);
  } catch (error) {
    const { version, platform } = (
      await connection.runAndReadAll(
        "SELECT version() AS version, current_setting('extension_directory') AS dir, (SELECT platform FROM pragma_platform()) AS platform",
      )
    ).getRowObjectsJson()[0] as { version: string; platform: string };
    const file = `${name === 'sqlite' ? 'sqlite_scanner' : name}.duckdb_extension`;
    const what = name === 'httpfs' ? 'remote files' : `${name} ${name === 'iceberg' ? 'tables' : 'files'}`;
    throw new KeelError(
      'not_implemented',
      `Reading ${what} needs DuckDB's ${name} extension, which is not installed here. Put ${file} for DuckDB ${version} (${platform}) in <extension directory>/${version}/${platform}/ and set data.extensionDirectory (where the internet is reachable, DuckDB's INSTALL ${name} downloads it).`,
      {
        cause: error,
        issues: [{ code: 'extension_missing', path: ['format'], message: `${file} not found` }],
        data: { extension: name, file, duckdb: version, platform },
      },
    );
  }
}
