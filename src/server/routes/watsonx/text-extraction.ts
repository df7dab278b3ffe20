/**
 * @module server/routes/watsonx/text-extraction
 * watsonx.ai text extraction on Keel's job service: `POST /ml/v1/text/extractions` queues a job
 * that reads a file of the project (`document_reference.location.file_name`) and writes Markdown
 * or JSON to `results_reference.location.file_name`; `GET` lists and reads them, `DELETE` cancels
 * and removes one. `project_id` (or `space_id`) is required, in the body for a create and in the
 * query otherwise. Documents get into the project through `PUT /api/v1/files/{name}`
 * (text-extraction-files.ts). `results_reference.location.collection` (Keel) also adds the Markdown
 * to a RAG collection of the project, with its tables and page numbers.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TextExtractionService } from '../../../extraction/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerWatsonxJobResource } from './job-resource.js';

const reference = z.looseObject({
  type: z.string().optional(),
  connection: z.looseObject({ id: z.string().optional() }).optional(),
  location: z
    .looseObject({
      file_name: z.string().optional(),
      path: z.string().optional(),
      collection: z
        .string()
        .min(1)
        .optional()
        .describe('Keel, in results_reference: a RAG collection of the project that ingests the Markdown'),
    })
    .optional(),
});

const createBody = z.looseObject({
  document_reference: reference,
  results_reference: reference,
  steps: z.record(z.string(), z.unknown()).optional(),
  assembly_json: z.record(z.string(), z.unknown()).optional(),
  assembly_md: z.record(z.string(), z.unknown()).optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
});

export function registerTextExtraction(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { extraction } = services as KeelServices & { extraction: TextExtractionService };
  registerWatsonxJobResource(app, {
    base: '/ml/v1/text/extractions',
    createBody,
    service: extraction,
    summaries: {
      create: 'Start a text extraction (a job) of a file in the project',
      created: 'The extraction, submitted',
      list: 'List the text extractions of a project',
      listed: 'Extractions, newest first',
      get: 'A text extraction: its status, pages processed and any error',
      got: 'The extraction',
      delete: 'Cancel a text extraction and remove it',
    },
  });
}
