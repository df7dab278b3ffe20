/**
 * @module rag
 * Collections: document loading, chunking, lexical and vector indexes, hybrid retrieval, answers
 * and experiments. Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { GuardrailService } from '../guardrails/index.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService, ProviderRegistry } from '../models/index.js';
import { RagService } from './collections/rag-service.js';

export { RagService } from './collections/rag-service.js';

export interface RagDeps extends ModuleBase {
  audit: AuditLog;
  jobs: JobService;
  registry: ProviderRegistry;
  generation: GenerationService;
  guardrails: GuardrailService;
}

/** The RAG module: the collection service (its ingestion and experiment jobs run on the job runner). */
export const ragModule: KeelModule<RagDeps, { rag: RagService }> = {
  name: 'rag',
  create: ({ db, jobs, registry, generation, guardrails, config, logger, metrics, audit }) => ({
    rag: new RagService({
      db,
      jobs,
      registry,
      generation,
      dataDir: config.dataDir,
      logger,
      metrics,
      audit,
      guardrails,
    }),
  }),
};
export type { AskEvent, AskOptions } from './collections/rag-service.js';
// Document loading, for text extraction (src/extraction).
export { loadDocument } from './loading/load-document.js';
export { ocrAvailability, ocrInstallHint, ocrPdfPages } from './loading/ocr.js';
