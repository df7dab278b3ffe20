/**
 * @module data
 * The embedded lakehouse: per-project data sources (CSV, Parquet, JSON files), their catalog and
 * read-only SQL on an embedded DuckDB engine. Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import { loadSecretKey } from '../core/secret-key.js';
import { s3FileStore } from '../extraction/index.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService } from '../models/index.js';
import type { RagService } from '../rag/index.js';
import { DataService } from './data-service.js';
import { DATA_UPLOAD_LIMIT_BYTES } from './data-sources.js';
import { registerScheduledSyncs } from './rag-source-sync-job.js';
import { RagSources } from './rag-sources.js';

export type { AskAnswer, AskStep } from './ask-service.js';
export type { ColumnCatalog, TableCatalog } from './catalog.js';
export { DataService, type QueryAnswer } from './data-service.js';
export { DATA_UPLOAD_LIMIT_BYTES, type SourceRow } from './data-sources.js';
export type { DescriptionDraft } from './description-drafts.js';
export type { JoinKeyRow, JoinKeyStatus } from './join-key-store.js';
export { type MaskingPolicy, type MaskMethod, maskMethods } from './masking.js';
export type { QueryOrigin } from './query-audit.js';
export { toCsv } from './query-runner.js';
export { RAG_SOURCE_SYNC_KIND } from './rag-source-schedule.js';
export {
  type RagSourceRow,
  type RagSourceSync,
  RagSources,
  type RagSyncJson,
  ragSyncJson,
} from './rag-sources.js';
export type { SyncSchedule } from './sync-schedule.js';

export interface DataDeps extends ModuleBase {
  audit: AuditLog;
  generation: GenerationService;
  jobs: JobService;
  rag: RagService;
}

/**
 * The data module. Local paths as sources are off until the configuration names allowed roots.
 * RAG sources' scheduled syncs run as jobs; on start each scheduled source's next job is enqueued
 * again (idempotent), so schedules survive restarts.
 */
export const dataModule: KeelModule<DataDeps, { data: DataService; dataRagSources: RagSources }> = {
  name: 'data',
  create: ({ db, audit, config, generation, jobs, rag }) => {
    const data = new DataService({
      db,
      audit,
      generation,
      dataDir: config.dataDir,
      // Uploads kept where every replica reads them, when files live in a bucket.
      shared: s3FileStore(config, { under: 'data-sources/', maxBytes: DATA_UPLOAD_LIMIT_BYTES }),
      localRoots: config.data.localRoots,
      extensionDirectory: config.data.extensionDirectory,
      allowPrivateNetwork: config.security.allowPrivateNetworkFetch,
      trino: config.data.trino,
      secretKey: loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir }),
    });
    const dataRagSources = new RagSources({ db, audit, data, jobs, rag });
    registerScheduledSyncs(jobs, dataRagSources);
    return { data, dataRagSources };
  },
  start: async ({ dataRagSources }) => {
    await dataRagSources.resumeSchedules();
  },
  close: (api) => api.data.close(),
};
