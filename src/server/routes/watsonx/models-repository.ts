/**
 * @module server/routes/watsonx/models-repository
 * watsonx.ai repository model assets (`/ml/v4/models`) on governance's inventory: a created model
 * is a tracked asset in the project (a space is a project) — an `external_model` when
 * `custom.endpoint_url` names where it is served (platform from `custom.platform`, default http),
 * otherwise a `model` whose ref is the Keel catalog model (`foundation_model.model_id`, else the
 * name). It is tracked under `custom.use_case_id`, or under the project's "watsonx repository
 * models" use case, made on first use. What governance has no column for is kept in the asset's
 * metadata. Listing shows every model and external model of the project's inventory; a delete
 * retires the asset (its history stays). Every change is audited.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createModelRequestSchema,
  jsonPatchSchema,
  modelIdParam,
  modelListQuery,
  modelListSchema,
  modelResourceSchema,
} from '../../../api/watsonx-repository.js';
import { KeelError } from '../../../core/errors.js';
import type { GovCaller, GovernanceService } from '../../../governance/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import { requiredContextId } from './context-id.js';
import { assetCaller } from './prompts.js';
import { watsonxError } from './watsonx-route-shapes.js';

type Asset = Awaited<ReturnType<GovernanceService['trackAsset']>>;
type Entity = Record<string, unknown>;

const USE_CASE = 'watsonx repository models';
const ENTITY_KEY = 'watsonx_entity';
const DELETED_KEY = 'watsonx_deleted';
const one = { description: 'The model', content: { 'application/json': { schema: modelResourceSchema } } };
const errors = {
  400: watsonxError('Invalid request'),
  404: watsonxError('No such model'),
};

function entityOf(asset: Asset): Entity {
  const stored = asset.metadata[ENTITY_KEY];
  try {
    return typeof stored === 'string' ? (JSON.parse(stored) as Entity) : {};
  } catch {
    return {};
  }
}

export function modelResource(asset: Asset, contextKey: 'project_id' | 'space_id' = 'project_id') {
  const entity = entityOf(asset);
  const external = asset.metadata.external as { endpoint_url?: string; owner?: string } | undefined;
  const { description, tags, type, ...rest } = entity;
  return {
    metadata: {
      id: asset.id,
      name: asset.name,
      ...(typeof description === 'string' ? { description } : {}),
      tags: Array.isArray(tags) ? tags : [],
      created_at: new Date(asset.created_at).toISOString(),
      modified_at: new Date(asset.updated_at).toISOString(),
      owner: external?.owner ?? asset.created_by ?? undefined,
      [contextKey]: asset.project_id,
    },
    entity: {
      ...rest,
      type:
        typeof type === 'string'
          ? type
          : asset.kind === 'external_model'
            ? 'external_model'
            : 'custom_foundation_model_1.0',
      keel: {
        kind: asset.kind,
        ref: asset.ref,
        stage: asset.stage,
        use_case_id: asset.use_case_id,
        ...(external?.endpoint_url ? { endpoint_url: external.endpoint_url } : {}),
      },
    },
  };
}

function notFound(id: string): KeelError {
  return new KeelError('not_found', `No model ${id} in this project.`, {
    issues: [{ code: 'unknown_model', path: ['model_id'], message: `no repository model ${id}` }],
  });
}

async function useCaseFor(
  governance: GovernanceService,
  caller: GovCaller,
  requested: unknown,
): Promise<string> {
  if (typeof requested === 'string' && requested) return requested;
  const find = async () =>
    (
      await governance.inventory.db.query<{ id: string }>(
        'SELECT id FROM gov_use_cases WHERE project_id = $1 AND name = $2',
        [caller.projectId, USE_CASE],
      )
    ).rows[0]?.id;
  const found = await find();
  if (found) return found;
  try {
    const made = await governance.inventory.createUseCase(caller, {
      name: USE_CASE,
      purpose: 'Models registered through the watsonx.ai repository API (/ml/v4/models).',
      tags: ['watsonx'],
    });
    return made.id;
  } catch (error) {
    const again = await find();
    if (again) return again;
    throw error;
  }
}

/** The applied JSON patch; only the fields of a repository model may change. */
function patched(doc: Entity, operations: { op: string; path: string; value?: unknown }[]): Entity {
  const next: Entity = structuredClone(doc);
  for (const [index, operation] of operations.entries()) {
    const keys = operation.path
      .replace(/^\//, '')
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const [head] = keys;
    if (!head || ['id', 'type', 'project_id', 'space_id', 'keel'].includes(head))
      throw new KeelError('invalid_request', `The path ${operation.path} cannot be changed.`, {
        issues: [
          { code: 'read_only_field', path: [index, 'path'], message: `${operation.path} is read-only` },
        ],
      });
    let target: Record<string, unknown> = next;
    for (const key of keys.slice(0, -1)) {
      const child = target[key];
      if (child === null || typeof child !== 'object') target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (operation.op === 'remove') delete target[last];
    else target[last] = operation.value;
  }
  if (typeof next.name !== 'string' || !next.name.trim() || next.name.length > 200)
    throw new KeelError('invalid_request', 'A model needs a name of 1 to 200 characters.', {
      issues: [{ code: 'invalid_name', path: ['name'], message: 'name is 1 to 200 characters' }],
    });
  return next;
}

export function registerWatsonxModelsRepository(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const governance = services.governance;
  const db = governance.inventory.db;
  const contextKey = (c: Context<KeelEnv>) =>
    c.req.query('project_id') ? 'project_id' : c.req.query('space_id') ? 'space_id' : 'project_id';

  const load = async (projectId: string, id: string): Promise<Asset> => {
    let asset: Asset;
    try {
      asset = await governance.inventory.asset(projectId, id);
    } catch {
      throw notFound(id);
    }
    if (!['model', 'external_model'].includes(asset.kind) || asset.metadata[DELETED_KEY]) throw notFound(id);
    return asset;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/ml/v4/models',
      tags: ['watsonx.ai-compatible'],
      summary: 'Create a repository model (a governed model asset)',
      request: {
        query: modelListQuery.pick({ version: true }),
        body: { required: true, content: { 'application/json': { schema: createModelRequestSchema } } },
      },
      responses: { 201: one, ...errors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const query = c.req.query();
      const scope = projectScope(
        c,
        'write',
        requiredContextId(body.project_id ?? query.project_id, body.space_id ?? query.space_id, 'body'),
      );
      const principal = c.get('principal');
      const caller = {
        projectId: scope.projectId,
        role: scope.role,
        actor: principal.userId ?? principal.keyId,
      };
      const { project_id: _p, space_id: _s, name, custom, ...entity } = body;
      const endpoint = typeof custom?.endpoint_url === 'string' ? custom.endpoint_url : undefined;
      if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/i.test(endpoint))
        throw new KeelError('invalid_request', 'custom.endpoint_url must be an http(s) URL.', {
          issues: [
            { code: 'invalid_endpoint', path: ['custom', 'endpoint_url'], message: 'an http or https URL' },
          ],
        });
      const useCaseId = await useCaseFor(governance, caller, custom?.use_case_id);
      const platform = ['sagemaker', 'azure_ml', 'vertex', 'http'].includes(String(custom?.platform))
        ? (custom!.platform as 'http')
        : 'http';
      const asset = await governance.trackAsset(caller, {
        use_case_id: useCaseId,
        kind: endpoint ? 'external_model' : 'model',
        ref: endpoint ?? body.foundation_model?.model_id ?? name,
        name,
        ...(endpoint
          ? {
              external: {
                endpoint_url: endpoint,
                platform,
                owner: typeof custom?.owner === 'string' ? custom.owner : caller.actor,
                ...(body.description ? { documentation: body.description } : {}),
              },
            }
          : {}),
        metadata: {
          [ENTITY_KEY]: JSON.stringify({ ...entity, ...(custom ? { custom } : {}) }),
          source: 'watsonx',
        },
      });
      services.audit.record({
        action: 'watsonx.model.create',
        projectId: caller.projectId,
        target: { type: 'gov_asset', id: asset.id },
        after: { name, type: body.type, kind: asset.kind, ref: asset.ref },
      });
      return json(modelResource(asset, body.space_id && !body.project_id ? 'space_id' : 'project_id'), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/ml/v4/models',
      tags: ['watsonx.ai-compatible'],
      summary: 'List repository models (the project’s governed models and external models)',
      request: { query: modelListQuery },
      responses: {
        200: { description: 'Models', content: { 'application/json': { schema: modelListSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const caller = assetCaller(c, 'read');
      const query = c.req.valid('query');
      const all = [
        ...(await governance.inventory.listAssets(caller.projectId, { kind: 'model' })),
        ...(await governance.inventory.listAssets(caller.projectId, { kind: 'external_model' })),
      ]
        .filter((asset) => !asset.metadata[DELETED_KEY])
        .map((asset) => modelResource(asset, contextKey(c)))
        .filter(
          (model) => !query['tag.value'] || (model.metadata.tags as string[]).includes(query['tag.value']),
        )
        .filter(
          (model) => !query.search || model.metadata.name.toLowerCase().includes(query.search.toLowerCase()),
        )
        .sort((a, b) => b.metadata.created_at.localeCompare(a.metadata.created_at));
      const limit = query.limit ?? 100;
      const start = Math.max(0, Number.parseInt(query.start ?? '0', 10) || 0);
      const page = all.slice(start, start + limit);
      const href = (offset: number) => `/ml/v4/models?limit=${limit}${offset ? `&start=${offset}` : ''}`;
      return json({
        resources: page,
        limit,
        total_count: all.length,
        first: { href: href(0) },
        ...(start + limit < all.length ? { next: { href: href(start + limit) } } : {}),
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/ml/v4/models/{model_id}',
      tags: ['watsonx.ai-compatible'],
      summary: 'Read a repository model',
      request: {
        params: modelIdParam,
        query: modelListQuery.pick({ project_id: true, space_id: true, version: true }),
      },
      responses: { 200: one, ...errors },
    }),
    async (c) => {
      const caller = assetCaller(c, 'read');
      return json(modelResource(await load(caller.projectId, c.req.valid('param').model_id), contextKey(c)));
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/ml/v4/models/{model_id}',
      tags: ['watsonx.ai-compatible'],
      summary: 'Change a repository model (JSON patch)',
      request: {
        params: modelIdParam,
        query: modelListQuery.pick({ project_id: true, space_id: true, version: true }),
        body: { required: true, content: { 'application/json': { schema: jsonPatchSchema } } },
      },
      responses: { 200: one, ...errors },
    }),
    async (c) => {
      const caller = assetCaller(c, 'write');
      const asset = await load(caller.projectId, c.req.valid('param').model_id);
      const before = { name: asset.name, ...entityOf(asset) };
      const { name, ...entity } = patched(before, c.req.valid('json'));
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE gov_assets SET name = $3, metadata = metadata || $4::jsonb, row_version = row_version + 1, updated_at = now()
           WHERE id = $1 AND project_id = $2`,
          [asset.id, caller.projectId, name, JSON.stringify({ [ENTITY_KEY]: JSON.stringify(entity) })],
        );
        await governance.inventory.history(
          tx,
          asset.id,
          caller.projectId,
          'change',
          asset.stage,
          asset.stage,
          caller.actor,
          caller.role,
          {
            via: 'watsonx',
            fields: c.req.valid('json').map((operation) => operation.path),
          },
        );
      });
      services.audit.record({
        action: 'watsonx.model.update',
        projectId: caller.projectId,
        target: { type: 'gov_asset', id: asset.id },
        before,
        after: { name, ...entity },
      });
      return json(modelResource(await load(caller.projectId, asset.id), contextKey(c)));
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/ml/v4/models/{model_id}',
      tags: ['watsonx.ai-compatible'],
      summary: 'Delete a repository model (its governed asset is retired; its history stays)',
      request: {
        params: modelIdParam,
        query: modelListQuery.pick({ project_id: true, space_id: true, version: true }),
      },
      responses: { 204: { description: 'Deleted' }, ...errors },
    }),
    async (c) => {
      const caller = assetCaller(c, 'write');
      const asset = await load(caller.projectId, c.req.valid('param').model_id);
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE gov_assets SET stage = 'retire', metadata = metadata || $3::jsonb, row_version = row_version + 1, updated_at = now()
           WHERE id = $1 AND project_id = $2`,
          [asset.id, caller.projectId, JSON.stringify({ [DELETED_KEY]: true })],
        );
        await governance.inventory.history(
          tx,
          asset.id,
          caller.projectId,
          'retire',
          asset.stage,
          'retire',
          caller.actor,
          caller.role,
          {
            via: 'watsonx',
          },
        );
      });
      services.audit.record({
        action: 'watsonx.model.delete',
        projectId: caller.projectId,
        target: { type: 'gov_asset', id: asset.id },
        before: { name: asset.name, stage: asset.stage },
      });
      return c.body(null, 204);
    },
  );
}
