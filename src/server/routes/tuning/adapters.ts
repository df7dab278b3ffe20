/**
 * @module server/routes/tuning/adapters
 * `/api/v1/adapters`: editors register LoRA adapters (a GGUF upload as multipart/form-data, or
 * JSON naming a file under the models directory), viewers list them and their versions, editors
 * remove them. Each version is served as `llamacpp:<base>+<name>` (or `…+<name>@<version>`).
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  type AdapterRegistration,
  type AdapterVersionJson,
  adapterRegistrationFields,
  adapterRegistrationSchema,
  adapterVersionSchema,
} from '../../../api/adapters.js';
import { KeelError } from '../../../core/errors.js';
import type { AdapterService, AdapterVersion, RegisterAdapter } from '../../../tuning/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { type ValidationResult, validationHook } from '../../validation-hook.js';
import { keelError, keelErrors, okJson } from '../route-shapes.js';

/**
 * Largest adapter upload. The multipart body is read into memory before it is written to disk, so
 * the limit stays well under a server's memory; LoRA files of 7–8B models at rank 16–64 are
 * 20–350 MB. Larger files are pulled or copied into the models directory and registered by path.
 */
export const ADAPTER_UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024;
export const adapterUploadPath = /^\/api\/v1\/adapters$/;

const tags = ['Tuning'];
const nameParam = z.object({ name: z.string().min(1).max(63) });

const routes = {
  register: createRoute({
    method: 'post',
    path: '/api/v1/adapters',
    tags,
    summary:
      'Register a LoRA adapter version: a GGUF upload (multipart/form-data: file, name, base_model, scale, metadata) or a file under the models directory (JSON with path)',
    request: {
      // Not `required`: each content type is validated only when the request is of that type.
      body: {
        required: false,
        content: {
          'application/json': { schema: adapterRegistrationSchema },
          'multipart/form-data': {
            schema: z.object({
              file: z.any().openapi({ type: 'string', format: 'binary' }),
              name: z.string(),
              base_model: z.string(),
              scale: z.string().optional(),
              /** JSON: `{hyper_parameters, dataset, governance}`. */
              metadata: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      201: {
        description: 'The registered version',
        content: { 'application/json': { schema: adapterVersionSchema } },
      },
      ...keelErrors,
      409: keelError('A version on another base model, or a race for the version number'),
      413: keelError('Upload too large'),
      422: keelError('Not a LoRA adapter, or not one for this base model'),
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/adapters',
    tags,
    summary: "The project's adapters (latest version of each)",
    responses: okJson(z.object({ adapters: z.array(adapterVersionSchema) }), 'Adapters'),
  }),
  show: createRoute({
    method: 'get',
    path: '/api/v1/adapters/{name}',
    tags,
    summary: 'An adapter with every version and its lineage',
    request: { params: nameParam },
    responses: okJson(z.object({ versions: z.array(adapterVersionSchema) }), 'Versions, oldest first'),
  }),
  remove: createRoute({
    method: 'delete',
    path: '/api/v1/adapters/{name}',
    tags,
    summary: 'Remove an adapter (every version, or `?version=N`)',
    request: {
      params: nameParam,
      query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    },
    responses: okJson(z.object({ removed: z.array(adapterVersionSchema) }), 'The removed versions'),
  }),
};

export function adapterJson(adapters: AdapterService, v: AdapterVersion): AdapterVersionJson {
  return {
    name: v.name,
    version: v.version,
    model: adapters.modelId(v),
    base_model: v.baseModel,
    base_sha256: v.baseSha256,
    architecture: v.architecture,
    sha256: v.sha256,
    size_bytes: v.sizeBytes,
    scale: v.scale,
    method: 'lora',
    alpha: v.header.alpha,
    rank: v.header.rank,
    targets: v.header.targets,
    hyper_parameters: { ...v.lineage.hyperParameters },
    dataset: v.lineage.dataset ? { ...v.lineage.dataset } : null,
    source: v.lineage.source ?? null,
    governance_asset_id: v.governanceAssetId,
    created_by: v.createdBy,
    created_at: v.createdAt,
  };
}

type Fields = z.infer<typeof adapterRegistrationFields>;

function registration(fields: Fields, file: RegisterAdapter['file']): RegisterAdapter {
  return {
    name: fields.name,
    baseModel: fields.base_model,
    file,
    scale: fields.scale,
    lineage: { hyperParameters: fields.hyper_parameters, dataset: fields.dataset },
    useCaseId: fields.governance?.use_case_id,
  };
}

/** The multipart form: its fields checked by the JSON body's schema, the file streamed to disk. */
async function uploaded(c: Context<KeelEnv>, adapters: AdapterService): Promise<RegisterAdapter> {
  const form = await c.req.parseBody();
  const file = form.file;
  if (!(file instanceof File)) {
    throw new KeelError('invalid_request', 'Send the adapter as the multipart "file" field.', {
      issues: [{ code: 'missing_file', path: ['file'], message: 'no file in the upload' }],
    });
  }
  let metadata: unknown = {};
  if (typeof form.metadata === 'string' && form.metadata.trim()) {
    try {
      metadata = JSON.parse(form.metadata);
    } catch {
      throw new KeelError('invalid_request', 'The "metadata" field must be a JSON object.', {
        issues: [{ code: 'invalid_json', path: ['metadata'], message: 'not JSON' }],
      });
    }
  }
  const parsed = adapterRegistrationFields.safeParse({
    ...(typeof metadata === 'object' && metadata !== null ? metadata : {}),
    name: form.name,
    base_model: form.base_model,
    ...(typeof form.scale === 'string' && form.scale !== '' ? { scale: form.scale } : {}),
  });
  validationHook({ ...parsed, target: 'form' } as ValidationResult);
  const target = await adapters.store.uploadFile();
  await pipeline(
    Readable.fromWeb(file.stream() as unknown as WebReadableStream<Uint8Array>),
    createWriteStream(target),
  );
  return registration(parsed.data!, { path: target, move: true, source: file.name || 'upload' });
}

export function registerAdapterRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { adapters } = services;
  const show = (v: AdapterVersion) => adapterJson(adapters, v);

  app.openapi(routes.register, async (c) => {
    const caller = callerOf(c, 'write');
    const type = c.req.header('content-type') ?? '';
    let input: RegisterAdapter;
    if (type.startsWith('multipart/form-data')) input = await uploaded(c, adapters);
    else if (type.startsWith('application/json')) {
      const body = c.req.valid('json') as AdapterRegistration;
      input = registration(body, { path: adapters.modelsDirFile(body.path), move: false, source: body.path });
    } else {
      throw new KeelError(
        'unsupported_media_type',
        'Send the adapter as multipart/form-data, or JSON naming a file under the models directory.',
      );
    }
    return json(show(await adapters.register(caller.projectId, input, caller.actor)), 201);
  });

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ adapters: (await adapters.list(projectId)).map(show) });
  });

  app.openapi(routes.show, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ versions: (await adapters.versions(projectId, c.req.valid('param').name)).map(show) });
  });

  app.openapi(routes.remove, async (c) => {
    const { projectId } = callerOf(c, 'write');
    const removed = await adapters.remove(projectId, c.req.valid('param').name, c.req.valid('query').version);
    return json({ removed: removed.map(show) });
  });
}
