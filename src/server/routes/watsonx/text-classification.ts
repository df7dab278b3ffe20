/**
 * @module server/routes/watsonx/text-classification
 * watsonx.ai text classification on Keel's job service: `POST /ml/v1/text/classifications` queues
 * a job that reads a file of the project (`document_reference.location.file_name`) and classifies
 * it into the taxonomy of `parameters.semantic_config.schemas` (merged with predefined types unless
 * `schemas_merge_strategy` is `replace`); `GET` lists and reads them (`results.document_classified`,
 * `results.document_type`), `DELETE` cancels and removes one. `parameters.model_id` (Keel) picks the
 * classifier: the built-in `keel:lexical-classifier` (default), a trained head `head:<name>`, or a
 * chat model. `project_id` (or `space_id`) is required, in the body for a create and in the query
 * otherwise.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TextClassificationService } from '../../../extraction/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerWatsonxJobResource } from './job-resource.js';

const reference = z.looseObject({
  type: z.string().optional(),
  connection: z.looseObject({ id: z.string().optional() }).optional(),
  location: z.looseObject({ file_name: z.string().optional(), path: z.string().optional() }).optional(),
});

const schema = z.looseObject({
  document_type: z.string().trim().min(1).max(200),
  document_description: z.string().max(4_000),
  fields: z.record(z.string(), z.unknown()).optional(),
});

const parameters = z.looseObject({
  ocr_mode: z.enum(['disabled', 'enabled', 'forced']).optional(),
  classification_mode: z.enum(['exact', 'binary']).optional(),
  auto_rotation_correction: z.boolean().optional(),
  languages: z.array(z.string()).optional(),
  semantic_config: z
    .looseObject({
      schemas_merge_strategy: z.enum(['merge', 'replace']).optional(),
      schemas: z.array(schema).max(200).optional(),
    })
    .optional(),
  model_id: z
    .string()
    .min(1)
    .optional()
    .describe('Keel: keel:lexical-classifier (default), head:<name>, or a chat model provider:model'),
});

const createBody = z.looseObject({
  document_reference: reference,
  parameters,
  custom: z.record(z.string(), z.unknown()).optional(),
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
});

export function registerTextClassification(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { classification } = services as KeelServices & { classification: TextClassificationService };
  registerWatsonxJobResource(app, {
    base: '/ml/v1/text/classifications',
    createBody,
    service: classification,
    summaries: {
      create: 'Start a text classification (a job) of a file in the project into a taxonomy',
      created: 'The classification, submitted',
      list: 'List the text classifications of a project',
      listed: 'Classifications, newest first',
      get: 'A text classification: its status, the document type found and any error',
      got: 'The classification',
      delete: 'Cancel a text classification and remove it',
    },
  });
}
