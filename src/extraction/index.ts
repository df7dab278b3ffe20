/**
 * @module extraction
 * Text extraction: a project's stored files (PDF, DOCX, HTML, images) turned into Markdown or JSON
 * by a job on the job service, in watsonx.ai's `/ml/v1/text/extractions` shape. Other modules
 * import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { JobService } from '../jobs/index.js';
import { TextExtractionService } from './extraction-service.js';

export { type ExtractedDocument, extractDocument, toMarkdown } from './extract-document.js';
export { type CreateExtractionInput, EXTRACTION_KIND, TextExtractionService } from './extraction-service.js';
export { maxProjectFileBytes, type ProjectFileInfo, ProjectFiles } from './project-files.js';

export interface ExtractionDeps extends ModuleBase {
  audit: AuditLog;
  jobs: JobService;
}

/** The extraction module: registers the `text.extraction` job kind. */
export const extractionModule: KeelModule<ExtractionDeps, { extraction: TextExtractionService }> = {
  name: 'extraction',
  create: ({ db, jobs, audit, logger, config }) => ({
    extraction: new TextExtractionService({ db, jobs, audit, logger, dataDir: config.dataDir }),
  }),
};
