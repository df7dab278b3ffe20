/**
 * @module extraction
 * Text extraction: a project's stored files (PDF, DOCX, HTML, images) turned into Markdown or JSON
 * by a job on the job service, in watsonx.ai's `/ml/v1/text/extractions` shape. Other modules
 * import it only through this file. Text classification (`/ml/v1/text/classifications`) classifies
 * the same files into a taxonomy, with the built-in lexical classifier, a chat model or a trained head.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelConfig } from '../core/config.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService } from '../models/index.js';
import type { RagService } from '../rag/index.js';
import type { FileStoreV1 } from '../spec/file-store.js';
import type { TuningService } from '../tuning/index.js';
import { TextClassificationService } from './classification-service.js';
import { TextExtractionService } from './extraction-service.js';
import { ProjectFiles } from './project-files.js';
import { S3ProjectFiles } from './s3-project-files.js';

export { type DocumentSchema, predefinedSchemas } from './classification-schemas.js';
export {
  CLASSIFICATION_KIND,
  type CreateClassificationInput,
  TextClassificationService,
} from './classification-service.js';
export { type ExtractedDocument, extractDocument, toMarkdown } from './extract-document.js';
export { type CreateExtractionInput, EXTRACTION_KIND, TextExtractionService } from './extraction-service.js';
export { type JobResourcePage, type JobResourceRow, JobResourceTable } from './job-resource-table.js';
export { classifyLexically, LEXICAL_CLASSIFIER } from './lexical-classifier.js';
export { maxProjectFileBytes, type ProjectFileInfo, ProjectFiles } from './project-files.js';
export { S3ProjectFiles } from './s3-project-files.js';

/** The project file store `files` in keel.yaml asks for: the data directory's folder, or an S3 bucket. */
export function createProjectFileStore(config: Pick<KeelConfig, 'files' | 'dataDir'>): FileStoreV1 {
  return (config.files.storage === 's3' && s3FileStore(config)) || new ProjectFiles(config.dataDir);
}

/**
 * The bucket `files.s3` names, under `files.s3.prefix` and then `under` (another module's files,
 * apart from the project files), or undefined when `files.storage` is not `s3`.
 */
export function s3FileStore(
  config: Pick<KeelConfig, 'files'>,
  options: { under?: string; maxBytes?: number } = {},
): FileStoreV1 | undefined {
  const s3 = config.files.s3;
  if (config.files.storage !== 's3' || !s3) return undefined;
  return new S3ProjectFiles({
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    region: s3.region,
    prefix: `${s3.prefix}${options.under ?? ''}`,
    forcePathStyle: s3.forcePathStyle,
    // The schema requires both when storage is s3.
    accessKeyId: s3.accessKeyId!,
    secretAccessKey: s3.secretAccessKey!,
    sessionToken: s3.sessionToken,
    maxBytes: options.maxBytes,
  });
}

export interface ExtractionDeps extends ModuleBase {
  audit: AuditLog;
  jobs: JobService;
  rag?: RagService | undefined;
}

/** The extraction module: registers the `text.extraction` job kind. */
export const extractionModule: KeelModule<ExtractionDeps, { extraction: TextExtractionService }> = {
  name: 'extraction',
  create: ({ db, jobs, audit, logger, config, rag }) => ({
    extraction: new TextExtractionService({
      db,
      jobs,
      audit,
      logger,
      dataDir: config.dataDir,
      files: createProjectFileStore(config),
      rag,
    }),
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
