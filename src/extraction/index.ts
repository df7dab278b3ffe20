/**
 * @module extraction
 * Text extraction: a project's stored files (PDF, DOCX, HTML, images) turned into Markdown or JSON
 * by a job on the job service, in watsonx.ai's `/ml/v1/text/extractions` shape. Other modules
 * import it only through this file. Text classification (`/ml/v1/text/classifications`) classifies
 * the same files into a taxonomy, with the built-in lexical classifier, a chat model or a trained head.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService } from '../models/index.js';
import type { RagService } from '../rag/index.js';
import type { TuningService } from '../tuning/index.js';
import { TextClassificationService } from './classification-service.js';
import { TextExtractionService } from './extraction-service.js';

export { type DocumentSchema, predefinedSchemas } from './classification-schemas.js';
export {
  CLASSIFICATION_KIND,
  type CreateClassificationInput,
  TextClassificationService,
} from './classification-service.js';
export { type ExtractedDocument, extractDocument, toMarkdown } from './extract-document.js';
export { type CreateExtractionInput, EXTRACTION_KIND, TextExtractionService } from './extraction-service.js';
export { classifyLexically, LEXICAL_CLASSIFIER } from './lexical-classifier.js';
export { maxProjectFileBytes, type ProjectFileInfo, ProjectFiles } from './project-files.js';

export interface ExtractionDeps extends ModuleBase {
  audit: AuditLog;
  jobs: JobService;
  rag?: RagService | undefined;
}

/** The extraction module: registers the `text.extraction` job kind. */
export const extractionModule: KeelModule<ExtractionDeps, { extraction: TextExtractionService }> = {
  name: 'extraction',
  create: ({ db, jobs, audit, logger, config, rag }) => ({
    extraction: new TextExtractionService({ db, jobs, audit, logger, dataDir: config.dataDir, rag }),
  }),
};

export interface ClassificationDeps extends ModuleBase {
  audit: AuditLog;
  jobs: JobService;
  generation: GenerationService;
  tuning: TuningService;
  extraction: TextExtractionService;
}

/**
 * The text classification part of this module: registers the `text.classification` job kind. It is
 * listed after the tuning module, whose trained heads it can classify with.
 */
export const classificationModule: KeelModule<
  ClassificationDeps,
  { classification: TextClassificationService }
> = {
  name: 'classification',
  create: ({ db, jobs, audit, generation, tuning, extraction }) => ({
    classification: new TextClassificationService({
      db,
      jobs,
      audit,
      generation,
      tuning,
      files: extraction.files,
    }),
  }),
};
