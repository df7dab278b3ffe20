/**
 * @module data/table-catalog
 * The catalog a caller sees: each table's statistics (catalog.ts; computed once per engine, on
 * DuckDB, or read from Trino) with its descriptions, tags and how each column is masked for the
 * caller's role. A masked column shows no samples.
 */
import { KeelError } from '../core/errors.js';
import { describeTable, type TableCatalog } from './catalog.js';
import type { DataSources, SourceRow } from './data-sources.js';
import type { ProjectEngine } from './engine.js';
import type { GovernanceStore } from './governance-store.js';
import type { TrinoProject } from './trino/trino-project.js';

export interface TableCatalogHost {
  sources: DataSources;
  governance: GovernanceStore;
  engine(projectId: string): Promise<ProjectEngine>;
  trinoOf(projectId: string): TrinoProject | undefined;
}

export class TableCatalogs {
  private readonly statistics = new WeakMap<ProjectEngine, Map<string, Promise<TableCatalog>>>();

  constructor(private readonly host: TableCatalogHost) {}

  /**
   * A table's catalog entry: columns, types, row count, null rates, sample values, descriptions,
   * tags, and how each column is masked for `role` (a masked column shows no samples).
   */
  async get(projectId: string, name: string, role?: string): Promise<TableCatalog> {
    const trino = this.host.trinoOf(projectId);
    if (trino) {
      if (!(await trino.tables()).has(name.toLowerCase())) {
        throw new KeelError('not_found', `No table "${name}" in this project's data.`, {
          issues: [{ code: 'unknown_table', path: ['name'], message: `unknown table ${name}` }],
        });
      }
      return this.decorated(projectId, await trino.describe(name.toLowerCase()), '', {}, role);
    }
    return this.ofSource(projectId, await this.host.sources.get(projectId, name), role);
  }

  /** Every table's catalog entry, as `get` gives it. */
  async list(projectId: string, role?: string): Promise<TableCatalog[]> {
    const entries: TableCatalog[] = [];
    const trino = this.host.trinoOf(projectId);
    if (trino) {
      for (const name of (await trino.tables()).keys()) entries.push(await this.get(projectId, name, role));
      return entries;
    }
    for (const source of await this.host.sources.list(projectId))
      entries.push(await this.ofSource(projectId, source, role));
    return entries;
  }

  private async ofSource(
    projectId: string,
    source: SourceRow,
    role: string | undefined,
  ): Promise<TableCatalog> {
    const engine = await this.host.engine(projectId);
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
    const masks = (await this.host.governance.planFor(projectId, role)).plan.get(key);
    const tags = (await this.host.governance.snapshot(projectId)).tags.filter(
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
}
