/**
 * @module data
 * The embedded lakehouse: per-project data sources (CSV, Parquet, JSON files), their catalog and
 * read-only SQL on an embedded DuckDB engine. Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import { DataService } from './data-service.js';

export type { ColumnCatalog, TableCatalog } from './catalog.js';
export { DataService, type SourceRow } from './data-service.js';
export { toCsv } from './query-runner.js';

export interface DataDeps extends ModuleBase {
  audit: AuditLog;
}

/** The data module. Local paths as sources are off until the configuration names allowed roots. */
export const dataModule: KeelModule<DataDeps, { data: DataService }> = {
  name: 'data',
  create: ({ db, audit, config }) => ({ data: new DataService({ db, audit, dataDir: config.dataDir }) }),
  close: (api) => api.data.close(),
};
