/**
 * @module server/routes/evals/datasets
 * `/api/v1/datasets`: upload (multipart file with a JSON `mapping` field, or JSON rows / file
 * text), list, get, preview, versions, delete. Editors write, viewers read, in the caller's
 * project. An upload larger than the configured limit is refused from its `Content-Length`
 * before any of it is read.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  addDatasetResponseSchema,
  columnMappingSchema,
  createDatasetSchema,
  datasetFormatSchema,
  datasetItemSchema,
  datasetSchema,
  datasetVersionSchema,
  previewQuerySchema,
  randomSplitsSchema,
} from '../../../api/evals.js';
import { KeelError } from '../../../core/errors.js';
import type { EvalService } from '../../../evals/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { keelErrors as errors, keelError, okJson as ok } from '../route-shapes.js';
import { datasetJson, versionJson } from './serialize.js';

export const datasetUploadPath = /^\/api\/v1\/datasets$/;

const idParam = z.object({ id: z.string().min(1).max(200) });
const tags = ['Evaluation'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/api/v1/datasets',
    tags,
    summary:
      'Upload a dataset version: multipart/form-data (field "file" with CSV, TSV, JSONL, JSON or Parquet; "name"; JSON fields "mapping" and "splits") or JSON rows',
    request: {
      body: {
        required: false,
        content: {
          'application/json': { schema: createDatasetSchema },
          'multipart/form-data': {
            schema: z.object({
              file: z.any().openapi({ type: 'string', format: 'binary' }),
              name: z.string().optional().describe('default: the file name without its extension'),
              description: z.string().optional(),
              format: z.string().optional(),
              mapping: z.string().optional().describe('JSON column mapping'),
              splits: z.string().optional().describe('JSON random splits'),
            }),
          },
        },
      },
    },
    responses: {
      ...ok(
        addDatasetResponseSchema,
        'The dataset and its version (created: false when the content was known)',
      ),
      413: keelError('Upload too large'),
      422: keelError('Invalid dataset'),
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/datasets',
    tags,
    summary: 'List datasets',
    responses: ok(z.object({ datasets: z.array(datasetSchema) }), 'Datasets'),
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/datasets/{id}',
    tags,
    summary: 'A dataset (by id or name) with its latest version',
    request: { params: idParam },
    responses: ok(datasetSchema, 'The dataset'),
  }),
  versions: createRoute({
    method: 'get',
    path: '/api/v1/datasets/{id}/versions',
    tags,
    summary: 'A dataset’s versions, newest first',
    request: { params: idParam },
    responses: ok(z.object({ versions: z.array(datasetVersionSchema) }), 'Versions'),
  }),
  preview: createRoute({
    method: 'get',
    path: '/api/v1/datasets/{id}/preview',
    tags,
    summary: 'The first items of a version (of one split)',
    request: { params: idParam, query: previewQuerySchema },
    responses: ok(z.object({ version: datasetVersionSchema, items: z.array(datasetItemSchema) }), 'Items'),
  }),
  delete: createRoute({
    method: 'delete',
    path: '/api/v1/datasets/{id}',
    tags,
    summary: 'Delete a dataset with all its versions',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, ...errors },
  }),
};

function jsonField<T extends z.ZodType>(value: unknown, field: string, schema: T): z.infer<T> | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch {
    throw new KeelError('invalid_request', `The "${field}" field must be JSON.`, {
      issues: [{ code: 'invalid_json', path: [field], message: 'not JSON' }],
    });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new KeelError('invalid_request', `The "${field}" field is not valid.`, {
      issues: result.error.issues.map((issue) => ({
        code: issue.code,
        path: [field, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
        message: issue.message,
      })),
    });
  }
  return result.data;
}

/** Refuses a body over the limit from its declared length, before reading it. */
function checkLength(c: Context<KeelEnv>, limitBytes: number): void {
  const length = Number(c.req.header('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > limitBytes) {
    throw new KeelError(
      'payload_too_large',
      `The upload is ${length} bytes; a dataset may be at most ${limitBytes}.`,
      {
        data: { limitBytes },
      },
    );
  }
}

async function addFromRequest(c: Context<KeelEnv>, evals: EvalService) {
  const caller = callerOf(c, 'write');
  checkLength(c, evals.uploadLimitBytes);
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File)) {
      throw new KeelError('invalid_request', 'Attach the dataset as the "file" field.', {
        issues: [{ code: 'missing_file', path: ['file'], message: 'no file' }],
      });
    }
    const name = typeof form.name === 'string' && form.name ? form.name : file.name.replace(/\.[^.]+$/, '');
    const format = jsonFormat(form.format) ?? evals.formatOf(file.name, file.type) ?? failFormat(file.name);
    return evals.datasets.add(caller, {
      name,
      description: typeof form.description === 'string' ? form.description : undefined,
      mapping: jsonField(form.mapping, 'mapping', columnMappingSchema),
      splits: jsonField(form.splits, 'splits', randomSplitsSchema),
      file: { bytes: new Uint8Array(await file.arrayBuffer()), format },
    });
  }
  if (!type.startsWith('application/json')) {
    throw new KeelError(
      'unsupported_media_type',
      'Send a dataset as multipart/form-data or application/json.',
    );
  }
  const body = c.req.valid('json' as never) as z.infer<typeof createDatasetSchema>;
  if (body.content !== undefined && (body.format === undefined || body.format === 'parquet')) {
    throw new KeelError('invalid_request', 'Text content needs a text `format` (csv, tsv, jsonl or json).', {
      issues: [{ code: 'missing_format', path: ['format'], message: 'required with content' }],
    });
  }
  return evals.datasets.add(caller, {
    name: body.name,
    description: body.description,
    message: body.message,
    mapping: body.mapping,
    splits: body.splits,
    ...(body.content !== undefined
      ? { file: { bytes: new TextEncoder().encode(body.content), format: body.format! } }
      : { rows: body.rows }),
  });
}

function jsonFormat(value: unknown) {
  const parsed = datasetFormatSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function failFormat(name: string): never {
  throw new KeelError(
    'unsupported_media_type',
    `Cannot tell the format of ${name}; name it in the "format" field.`,
    {
      issues: [{ code: 'unknown_format', path: ['format'], message: 'csv, tsv, jsonl, json or parquet' }],
    },
  );
}

export function registerDatasetRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const evals = services.evals;
  app.openapi(routes.create, async (c) => {
    const result = await addFromRequest(c, evals);
    return json({
      dataset: datasetJson(result.dataset, result.version),
      version: versionJson(result.version),
      created: result.created,
    });
  });
  app.openapi(routes.list, async (c) => {
    const rows = await evals.datasets.list(callerOf(c, 'read').projectId);
    return json({ datasets: rows.map((row) => datasetJson(row)) });
  });
  app.openapi(routes.get, async (c) => {
    const { dataset, version } = await evals.datasets.get(
      callerOf(c, 'read').projectId,
      c.req.valid('param').id,
    );
    return json(datasetJson(dataset, version));
  });
  app.openapi(routes.versions, async (c) => {
    const versions = await evals.datasets.versions(callerOf(c, 'read').projectId, c.req.valid('param').id);
    return json({ versions: versions.map(versionJson) });
  });
  app.openapi(routes.preview, async (c) => {
    const query = c.req.valid('query');
    const preview = await evals.datasets.preview(
      callerOf(c, 'read').projectId,
      c.req.valid('param').id,
      query,
    );
    return json({ version: versionJson(preview.version), items: preview.items });
  });
  app.openapi(routes.delete, async (c) => {
    await evals.datasets.delete(callerOf(c, 'write').projectId, c.req.valid('param').id);
    return new Response(null, { status: 204 }) as never;
  });
}
