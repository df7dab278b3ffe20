/**
 * @module tuning/export
 * Training-spec exports for external trainers (`tuning.export` jobs): watsonx.ai tuning JSONL, an
 * axolotl or PEFT config, and a lineage manifest, written to the project's files. Started through
 * `POST /api/v1/tuning/jobs` (`type: export`), `keel tune export`, and the watsonx.ai SDK's
 * `createTraining`/`createFineTuning`. Other modules import it only through this file.
 */
import type { AuditLog } from '../../audit/index.js';
import type { KeelModule, ModuleBase } from '../../core/module.js';
import type { EvalService } from '../../evals/index.js';
import type { JobService } from '../../jobs/index.js';
import type { FileStoreV1 } from '../../spec/file-store.js';
import { TrainingExportService } from './export-service.js';

export {
  checkHyperParameters,
  EXPORT_JOB,
  type ExportedFile,
  type ExportManifest,
  type ExportOrigin,
  type ExportRequest,
  type ExportResult,
  type ExportRow,
  MAX_EXPORT_RECORDS,
  TrainingExportService,
} from './export-service.js';
export { DEFAULT_VERBALIZER, resolveHyperParameters } from './trainer-config.js';
export type { SkippedRecord, TrainingRecord } from './training-records.js';

export interface TrainingExportModuleDeps extends ModuleBase {
  jobs: JobService;
  audit: AuditLog;
  /** The project's files, where the spec is written (the extraction module's store). */
  extraction: { files: FileStoreV1 };
  evals?: EvalService | undefined;
}

/** Registers the `tuning.export` job kind; listed after the extraction and evaluation modules. */
export const trainingExportModule: KeelModule<
  TrainingExportModuleDeps,
  { trainingExport: TrainingExportService }
> = {
  name: 'training-export',
  create: ({ db, jobs, audit, extraction, evals }) => ({
    trainingExport: new TrainingExportService({ db, jobs, audit, files: extraction.files, evals }),
  }),
};
