/**
 * @module data/engine
 * One project's embedded DuckDB engine: an in-memory database with one view per source, opened
 * with one thread and a memory cap. Once the views exist, file access is narrowed to the sources'
 * own files (`allowed_paths`), external access is switched off and the configuration is locked,
 * so no query can reach another file, attach a database, install an extension or undo the limits.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export type DataFormat = 'csv' | 'parquet' | 'json';

export interface EngineSource {
  name: string;
  format: DataFormat;
  path: string;
}

export interface EngineOptions {
  memoryLimit: string;
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdentifier(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** The table expression that reads a file of `format`. */
export function readerOf(format: DataFormat, file: string): string {
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

export class ProjectEngine {
  readonly tables: ReadonlySet<string>;
  private readonly idle: DuckDBConnection[] = [];

  private constructor(
    private readonly instance: DuckDBInstance,
    tables: Set<string>,
  ) {
    this.tables = tables;
  }

  static async open(sources: readonly EngineSource[], options: EngineOptions): Promise<ProjectEngine> {
    const instance = await openInstance(options);
    const setup = await instance.connect();
    try {
      for (const source of sources) {
        await setup.run(
          `CREATE VIEW ${sqlIdentifier(source.name)} AS SELECT * FROM ${readerOf(source.format, source.path)}`,
        );
      }
      const paths = sources.map((source) => sqlString(source.path)).join(', ');
      await setup.run(`SET allowed_paths = [${paths}]`);
      await setup.run('SET allowed_directories = []');
      await setup.run('SET enable_external_access = false');
      await setup.run('SET lock_configuration = true');
    } catch (error) {
      setup.closeSync();
      instance.closeSync();
      throw error;
    }
    setup.closeSync();
    return new ProjectEngine(instance, new Set(sources.map((source) => source.name.toLowerCase())));
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
