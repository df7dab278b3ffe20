/**
 * @module server/routes/watsonx/foundation-model-tasks
 * `GET /ml/v1/foundation_model_tasks`: the tasks watsonx.ai lists (the ids its model specs use in
 * `task_ids` and `filters=task_…`), with `start`/`limit` paging.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { foundationModelTasksSchema } from '../../../api/watsonx-inference.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';

export const foundationModelTasks = [
  {
    task_id: 'question_answering',
    label: 'Question answering',
    description: 'Answer questions from the prompt or retrieved context.',
  },
  { task_id: 'summarization', label: 'Summarization', description: 'Condense a text to its key points.' },
  {
    task_id: 'retrieval_augmented_generation',
    label: 'Retrieval-augmented generation',
    description: 'Answer from documents retrieved from a collection.',
  },
  { task_id: 'classification', label: 'Classification', description: 'Sort a text into given classes.' },
  { task_id: 'generation', label: 'Generation', description: 'Write text from instructions.' },
  {
    task_id: 'code',
    label: 'Code generation and conversion',
    description: 'Write, explain and convert code.',
  },
  { task_id: 'extraction', label: 'Extraction', description: 'Pull entities and fields out of text.' },
  { task_id: 'translation', label: 'Translation', description: 'Translate between languages.' },
  {
    task_id: 'function_calling',
    label: 'Function calling',
    description: 'Choose tools and their arguments.',
  },
  { task_id: 'embedding', label: 'Embedding', description: 'Vector representations of text.' },
  { task_id: 'rerank', label: 'Rerank', description: 'Order texts by relevance to a query.' },
  {
    task_id: 'time_series_forecast',
    label: 'Time series forecast',
    description: 'Forecast future values of a series.',
  },
].map((task, index) => ({ ...task, rank: index + 1 }));

const route = createRoute({
  method: 'get',
  path: '/ml/v1/foundation_model_tasks',
  tags: ['watsonx.ai-compatible'],
  summary: 'List the foundation model tasks',
  request: {
    query: z.object({
      version: z.string().optional(),
      start: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
  },
  responses: {
    200: { description: 'Tasks', content: { 'application/json': { schema: foundationModelTasksSchema } } },
  },
});

export function registerFoundationModelTasks(app: OpenAPIHono<KeelEnv>, _services: KeelServices): void {
  app.openapi(route, async (c) => {
    projectScope(c, 'read');
    const query = c.req.valid('query');
    const start = query.start ?? 0;
    const limit = query.limit ?? 100;
    const base = `/ml/v1/foundation_model_tasks?limit=${limit}`;
    return json({
      total_count: foundationModelTasks.length,
      limit,
      first: { href: base },
      ...(start + limit < foundationModelTasks.length
        ? { next: { href: `${base}&start=${start + limit}` } }
        : {}),
      resources: foundationModelTasks.slice(start, start + limit),
    });
  });
}
