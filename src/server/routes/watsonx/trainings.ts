/**
 * @module server/routes/watsonx/trainings
 * `/ml/v4/trainings` (prompt tuning) and `/ml/v1/fine_tunings` (LoRA, QLoRA, full) on Keel's
 * training-spec export: each create queues a `tuning.export` job, each resource reads as watsonx's
 * (`metadata.id`, `entity.status.state`, `entity.results_reference` pointing at the spec files in
 * the project's files). See training-resources.ts for the mapping, and job-resource.ts for the
 * four routes and their project scoping.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TrainingExportService } from '../../../tuning/export/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerWatsonxJobResource } from './job-resource.js';
import {
  exportResourceService,
  type FineTuningBody,
  fineTuningRequest,
  type TrainingBody,
  trainingRequest,
} from './training-resources.js';

const reference = z.looseObject({
  id: z.string().optional(),
  type: z.string().max(100).optional(),
  connection: z.looseObject({}).optional(),
  location: z.record(z.string(), z.unknown()).optional(),
});

const common = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).optional(),
  tags: z.array(z.string().max(200)).max(50).optional(),
  results_reference: reference,
  custom: z.record(z.string(), z.unknown()).optional(),
  auto_update_model: z.boolean().optional(),
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
};

const trainingBody = z.looseObject({
  ...common,
  training_data_references: z.array(reference).max(10).optional(),
  prompt_tuning: z.record(z.string(), z.unknown()).optional(),
});

const fineTuningBody = z.looseObject({
  ...common,
  training_data_references: z.array(reference).min(1).max(10),
  test_data_references: z.array(reference).max(10).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  type: z.string().max(50).optional(),
});

export function registerWatsonxTrainings(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { trainingExport } = services as KeelServices & { trainingExport: TrainingExportService };
  registerWatsonxJobResource<TrainingBody>(app, {
    base: '/ml/v4/trainings',
    createBody: trainingBody as never,
    service: exportResourceService<TrainingBody>(trainingExport, 'training', trainingRequest),
    summaries: {
      create:
        'Start a prompt-tuning training: Keel exports its spec (watsonx tuning JSONL, a PEFT prompt-tuning config, a manifest) as a job',
      created: 'The training, submitted',
      list: 'List the trainings of a project',
      listed: 'Trainings, newest first',
      get: 'A training: its status and where its spec files are',
      got: 'The training',
      delete: 'Cancel a training, remove its files and the training',
    },
  });
  registerWatsonxJobResource<FineTuningBody>(app, {
    base: '/ml/v1/fine_tunings',
    createBody: fineTuningBody as never,
    service: exportResourceService<FineTuningBody>(trainingExport, 'fine_tuning', fineTuningRequest),
    summaries: {
      create:
        'Start a fine-tuning (LoRA, QLoRA or full): Keel exports its spec (watsonx tuning JSONL, an axolotl config, a manifest) as a job',
      created: 'The fine-tuning, submitted',
      list: 'List the fine-tunings of a project',
      listed: 'Fine-tunings, newest first',
      get: 'A fine-tuning: its status and where its spec files are',
      got: 'The fine-tuning',
      delete: 'Cancel a fine-tuning, remove its files and the fine-tuning',
    },
  });
}
