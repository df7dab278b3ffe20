/**
 * @module server/routes/watsonx/foundation-models
 * `GET /ml/v1/foundation_model_specs`: the models Keel can serve, in watsonx's listing shape, with
 * watsonx's `start`/`limit` paging and `filters` on model id, task and function.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { foundationModelSpecsSchema } from '../../../api/watsonx.js';
import type { ModelInfo } from '../../../spec/provider.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';

const route = createRoute({
  method: 'get',
  path: '/ml/v1/foundation_model_specs',
  tags: ['watsonx.ai-compatible'],
  summary: 'List the available foundation models',
  request: {
    query: z.object({
      version: z.string().optional(),
      start: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
      filters: z
        .string()
        .optional()
        .describe(
          'e.g. `modelid_llamacpp:tiny`, `task_summarization`, `function_embedding`; joined with `,` (or) or `+` (and)',
        ),
      tech_preview: z.string().optional(),
    }),
  },
  responses: {
    200: {
      description: 'Foundation model specifications',
      content: { 'application/json': { schema: foundationModelSpecsSchema } },
    },
  },
});

const taskIds: Record<string, string> = {
  generate: 'generation',
  chat: 'generation',
  summarize: 'summarization',
  extract: 'extraction',
  classify: 'classification',
  qa: 'question_answering',
  code: 'code',
  embed: 'embedding',
  rerank: 'rerank',
};

export function toFoundationModel(model: ModelInfo, startedAt: Date) {
  const tasks = [
    ...new Set(
      (model.tasks ?? (model.kinds.includes('embedding') ? ['embed'] : ['generate'])).map(
        (task) => taskIds[task] ?? task,
      ),
    ),
  ];
  const functions = [
    ...(model.kinds.includes('language') ? [{ id: 'text_generation' }, { id: 'text_chat' }] : []),
    ...(model.kinds.includes('embedding') ? [{ id: 'embedding' }] : []),
    ...(model.kinds.includes('rerank') ? [{ id: 'rerank' }] : []),
  ];
  const parameters = model.details?.parameterCount;
  return {
    model_id: model.id,
    label: typeof model.details?.label === 'string' ? model.details.label : model.modelId,
    provider: model.provider,
    source: typeof model.details?.source === 'string' ? model.details.source : model.provider,
    short_description:
      typeof model.details?.description === 'string'
        ? model.details.description
        : `${model.modelId} served by ${model.provider}`,
    task_ids: tasks,
    tasks: tasks.map((id) => ({ id })),
    input_tier: 'class_1',
    output_tier: 'class_1',
    number_params:
      typeof parameters === 'string'
        ? parameters
        : typeof parameters === 'number'
          ? formatParameters(parameters)
          : 'unknown',
    model_limits: model.contextLength ? { max_sequence_length: model.contextLength } : {},
    functions,
    lifecycle: [{ id: 'available', start_date: startedAt.toISOString().slice(0, 10) }],
  };
}

function formatParameters(count: number): string {
  if (count >= 1e9) return `${Math.round(count / 1e8) / 10}b`;
  if (count >= 1e6) return `${Math.round(count / 1e5) / 10}m`;
  return String(count);
}

type Spec = ReturnType<typeof toFoundationModel>;

/** watsonx filter syntax: terms joined by `,` (or) and `+` (and); `!` negates. */
export function matchesFilters(spec: Spec, filters: string | undefined): boolean {
  if (!filters) return true;
  const matchTerm = (term: string): boolean => {
    const negate = term.startsWith('!');
    const raw = negate ? term.slice(1) : term;
    let result: boolean;
    if (raw.startsWith('modelid_')) result = spec.model_id === raw.slice('modelid_'.length);
    else if (raw.startsWith('provider_')) result = spec.provider === raw.slice('provider_'.length);
    else if (raw.startsWith('task_')) result = spec.task_ids.includes(raw.slice('task_'.length));
    else if (raw.startsWith('function_'))
      result = spec.functions.some((fn) => fn.id === raw.slice('function_'.length));
    else if (raw.startsWith('lifecycle_')) result = raw.slice('lifecycle_'.length) === 'available';
    else result = false;
    return negate ? !result : result;
  };
  return filters
    .split(',')
    .some((alternative) => alternative.split('+').every((term) => matchTerm(term.trim())));
}

export function registerFoundationModels(
  app: OpenAPIHono<KeelEnv>,
  services: KeelServices,
  listModels: () => Promise<ModelInfo[]>,
): void {
  app.openapi(route, async (c) => {
    projectScope(c, 'read');
    const query = c.req.valid('query');
    const start = query.start ?? 0;
    const limit = query.limit ?? 100;
    const specs = (await listModels())
      .map((model) => toFoundationModel(model, services.startedAt))
      .filter((spec) => matchesFilters(spec, query.filters));
    const page = specs.slice(start, start + limit);
    const base = `/ml/v1/foundation_model_specs?limit=${limit}${query.filters ? `&filters=${encodeURIComponent(query.filters)}` : ''}`;
    return json({
      total_count: specs.length,
      limit,
      first: { href: base },
      ...(start + limit < specs.length ? { next: { href: `${base}&start=${start + limit}` } } : {}),
      resources: page,
    });
  });
}
