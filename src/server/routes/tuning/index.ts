/**
 * @module server/routes/tuning
 * `/api/v1/tuning/jobs` (editors start head training, prompt optimisation or a training-spec export; viewers list the jobs) and `/api/v1/heads`
 * (viewers list heads and their versions, classify with them or tag tokens with a tagger, as the
 * model `head:<name>`). `/api/v1/adapters` (LoRA adapters) is in adapters.ts.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { jobJsonSchema } from '../../../api/jobs.js';
import { keelErrorSchema } from '../../../api/platform.js';
import {
  classifyRequestSchema,
  classifyResponseSchema,
  headVersionSchema,
  tagResponseSchema,
  tuningJobRequestSchema,
} from '../../../api/tuning.js';
import { KeelError } from '../../../core/errors.js';
import { type Job, jobJson } from '../../../jobs/index.js';
import { EXPORT_JOB, type TrainingExportService } from '../../../tuning/export/index.js';
import { HEAD_JOB, type HeadVersionInfo, PROMPT_JOB } from '../../../tuning/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { registerAdapterRoutes } from './adapters.js';

const errors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: keelErrorSchema } } },
  403: { description: 'Not allowed', content: { 'application/json': { schema: keelErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: keelErrorSchema } } },
  422: { description: 'Unusable dataset', content: { 'application/json': { schema: keelErrorSchema } } },
} as const;
const nameParam = z.object({ name: z.string().min(1).max(63) });

const routes = {
  start: createRoute({
    method: 'post',
    path: '/api/v1/tuning/jobs',
    tags: ['Tuning'],
    summary:
      'Train a task head on labelled texts (`type: head`, a `tuning.head` job), optimise a prompt template against a labelled dataset (`type: prompt`, a `tuning.prompt` job), or export a training spec for an external trainer (`type: export`, a `tuning.export` job writing watsonx tuning JSONL, an axolotl or PEFT config and a lineage manifest to the project files)',
    request: {
      body: { content: { 'application/json': { schema: tuningJobRequestSchema } }, required: true },
    },
    responses: {
      202: { description: 'The queued job', content: { 'application/json': { schema: jobJsonSchema } } },
      ...errors,
    },
  }),
  jobs: createRoute({
    method: 'get',
    path: '/api/v1/tuning/jobs',
    tags: ['Tuning'],
    summary: "The project's tuning jobs, newest first",
    responses: {
      200: {
        description: 'Jobs',
        content: { 'application/json': { schema: z.object({ jobs: z.array(jobJsonSchema) }) } },
      },
      ...errors,
    },
  }),
  heads: createRoute({
    method: 'get',
    path: '/api/v1/heads',
    tags: ['Tuning'],
    summary: "The project's heads (latest version of each)",
    responses: {
      200: {
        description: 'Heads',
        content: { 'application/json': { schema: z.object({ heads: z.array(headVersionSchema) }) } },
      },
      ...errors,
    },
  }),
  head: createRoute({
    method: 'get',
    path: '/api/v1/heads/{name}',
    tags: ['Tuning'],
    summary: 'A head with every version, its lineage and metrics',
    request: { params: nameParam },
    responses: {
      200: {
        description: 'Versions, oldest first',
        content: { 'application/json': { schema: z.object({ versions: z.array(headVersionSchema) }) } },
      },
      ...errors,
    },
  }),
  classify: createRoute({
    method: 'post',
    path: '/api/v1/heads/{name}/classify',
    tags: ['Tuning'],
    summary: 'Classify texts with a head (calibrated probabilities)',
    request: {
      params: nameParam,
      body: { content: { 'application/json': { schema: classifyRequestSchema } }, required: true },
    },
    responses: {
      200: {
        description: 'Predictions',
        content: { 'application/json': { schema: classifyResponseSchema } },
      },
      ...errors,
    },
  }),
  tag: createRoute({
    method: 'post',
    path: '/api/v1/heads/{name}/tag',
    tags: ['Tuning'],
    summary: 'Tag the tokens of texts with a tagger head (tags, probabilities and entity spans)',
    request: {
      params: nameParam,
      body: { content: { 'application/json': { schema: classifyRequestSchema } }, required: true },
    },
    responses: {
      200: {
        description: 'Tokens and entities per text',
        content: { 'application/json': { schema: tagResponseSchema } },
      },
      ...errors,
    },
  }),
};

function versionJson(info: HeadVersionInfo) {
  return {
    name: info.name,
    version: info.version,
    created_at: info.createdAt,
    kind: info.kind,
    labels: info.labels,
    features: { ...info.features },
    hyper_parameters: { ...info.hyperParameters },
    dataset: { ...info.dataset },
    metrics: {
      accuracy: info.metrics.accuracy,
      macro_f1: info.metrics.macroF1,
      per_class: info.metrics.perClass,
      confusion: info.metrics.confusion,
      count: info.metrics.count,
    },
    curve: info.curve.map((r) => ({
      epoch: r.epoch,
      train_loss: r.trainLoss,
      validation_loss: r.validationLoss,
    })),
    best_epoch: info.bestEpoch,
    temperature: info.temperature,
    calibration: { ...(info.calibration ?? { method: 'temperature', temperature: info.temperature }) },
    base_encoder: info.baseEncoder ?? `char-ngram`,
    training_ms: info.trainingMs ?? null,
    governance_asset_id: info.governanceAssetId ?? null,
    operating_point: info.operatingPoint
      ? { positive_label: info.operatingPoint.positiveLabel, threshold: info.operatingPoint.threshold }
      : null,
    job_id: info.jobId,
    model: `head:${info.name}`,
    spans: info.spans
      ? {
          precision: info.spans.precision,
          recall: info.spans.recall,
          f1: info.spans.f1,
          support: info.spans.support,
          per_type: info.spans.perType,
        }
      : null,
  };
}

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };

export function registerTuningRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  registerAdapterRoutes(app, services);
  // The runtime adds every module's api to the services; `tuning` is not yet named in KeelServices.
  const { jobs, tuning } = services;
  const show = (job: Job) => jobJson(job, jobs.handler(job.kind));

  app.openapi(routes.start, async (c) => {
    const caller = callerOf(c, 'write');
    const body = c.req.valid('json');
    if (body.type === 'prompt') {
      if (!tuning.promptSearch) {
        throw new KeelError(
          'not_implemented',
          'Prompt optimisation needs Prompt Lab and the evaluation module.',
          {
            issues: [{ code: 'no_prompt_search', path: ['type'], message: 'prompt' }],
          },
        );
      }
      const job = await tuning.promptSearch.start(
        caller.projectId,
        {
          template: body.template,
          dataset: body.dataset,
          datasetVersion: body.dataset_version,
          metric: body.metric,
          budget: body.budget,
          seed: body.seed,
          model: body.model,
          instructions: body.instructions,
          proposeInstructions: body.propose_instructions,
          fewShot: body.few_shot && {
            k: body.few_shot.k,
            diversity: body.few_shot.diversity,
            perInput: body.few_shot.per_input,
          },
          joint: body.joint,
          thresholds: body.thresholds,
          governance: body.governance && { useCaseId: body.governance.use_case_id },
          formats: body.formats,
          trainSplit: body.train_split,
          devSplit: body.dev_split,
          testSplit: body.test_split,
          devSize: body.dev_size,
        },
        caller.actor,
      );
      return json(show(job), 202);
    }
    if (body.type === 'export') {
      const { trainingExport } = services as KeelServices & { trainingExport: TrainingExportService };
      const { job } = await trainingExport.start(caller.projectId, caller.actor, 'keel', {
        name: body.name,
        baseModel: body.base_model,
        method: body.method,
        dataset: body.dataset,
        datasetVersion: body.dataset_version,
        file: body.file,
        validationFile: body.validation_file,
        hyperParameters: body.hyper_parameters,
      });
      return json(show(job), 202);
    }
    const o = body.options ?? {};
    const f = body.features ?? {};
    const job = await tuning.startHead(
      caller.projectId,
      {
        name: body.name,
        method: body.method,
        examples: body.examples ?? [],
        validation: body.validation,
        sentences: body.sentences,
        validationSentences: body.validation_sentences,
        source: body.source ?? null,
        options: defined({
          seed: o.seed,
          validationFraction: o.validation_fraction,
          maxEpochs: o.max_epochs,
          patience: o.patience,
          learningRate: o.learning_rate,
          l2: o.l2,
          classWeights: o.class_weights,
          positiveLabel: o.positive_label,
          maxFalsePositiveRate: o.max_false_positive_rate,
          calibration: o.calibration,
          hiddenUnits: o.hidden_units,
          window: o.window,
          tokenization: o.tokenization,
        }),
        features:
          f.model !== undefined
            ? { model: f.model }
            : defined({ dimensions: f.dimensions, minN: f.min_n, maxN: f.max_n }),
        governance: body.governance ? { useCaseId: body.governance.use_case_id } : undefined,
      },
      caller.actor,
    );
    return json(show(job), 202);
  });

  app.openapi(routes.jobs, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const lists = await Promise.all(
      [HEAD_JOB, PROMPT_JOB, EXPORT_JOB].map((kind) => jobs.list({ projectId, kind, limit: 50 })),
    );
    const list = lists
      .flat()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, 50);
    return json({ jobs: list.map(show) });
  });

  app.openapi(routes.heads, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ heads: (await tuning.list(projectId)).map(versionJson) });
  });

  app.openapi(routes.head, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ versions: (await tuning.versions(projectId, c.req.valid('param').name)).map(versionJson) });
  });

  app.openapi(routes.classify, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const body = c.req.valid('json');
    const result = await tuning.classify(projectId, c.req.valid('param').name, body.texts, body.version);
    return json({
      model: `head:${result.head.name}`,
      version: result.head.version,
      predictions: result.predictions,
    });
  });

  app.openapi(routes.tag, async (c) => {
    const { projectId } = callerOf(c, 'read');
    const body = c.req.valid('json');
    const result = await tuning.tag(projectId, c.req.valid('param').name, body.texts, body.version);
    return json({ model: `head:${result.head.name}`, version: result.head.version, results: result.results });
  });
}
