/**
 * @module data
 * The embedded lakehouse: per-project data sources (CSV, Parquet, JSON files), their catalog and
 * read-only SQL on an embedded DuckDB engine. Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import { loadSecretKey } from '../core/secret-key.js';
import type { GenerationService } from '../models/index.js';
import { DataService } from './data-service.js';

export type { AskAnswer, AskStep } from './ask-service.js';
export type { ColumnCatalog, TableCatalog } from './catalog.js';
export { DataService, type QueryAnswer } from './data-service.js';
export type { SourceRow } from './data-sources.js';
export type { JoinKeyRow, JoinKeyStatus } from './join-key-store.js';
export { type MaskingPolicy, type MaskMethod, maskMethods } from './masking.js';
export { toCsv } from './query-runner.js';
export { type RagSourceRow, type RagSourceSync, RagSources } from './rag-sources.js';

export interface DataDeps extends ModuleBase {
  audit: AuditLog;
  generation: GenerationService;
}

/** The data module. Local paths as sources are off until the configuration names allowed roots. */
export const dataModule: KeelModule<DataDeps, { data: DataService }> = {
  name: 'data',
  create: ({ db, audit, config, generation }) => ({
    data: new DataService({
      db,
      audit,
      generation,
      dataDir: config.dataDir,
      localRoots: config.data.localRoots,
      trino: config.data.trino,
      secretKey: loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir }),
    }),
  }),
  close: (api) => api.data.close(),
};
