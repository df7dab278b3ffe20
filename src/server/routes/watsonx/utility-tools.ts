/**
 * @module server/routes/watsonx/utility-tools
 * watsonx.ai utility agent tools (`/v1-beta/utility_agent_tools`, under `/wx` where the SDK sends
 * them): Keel's own tools, named as such — RAGQuery, SQLQuery (with the data module) and
 * Webcrawler (see tools/utility-tools.ts). Listing needs `read` in the caller's project (the
 * `project_id` query or the key's project); a run is scoped to it and audited.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  toolIdParam,
  toolRunByNameSchema,
  toolRunResponseSchema,
  toolRunSchema,
  utilityToolListSchema,
  utilityToolSchema,
} from '../../../api/watsonx-repository.js';
import { KeelError } from '../../../core/errors.js';
import type { DataService } from '../../../data/index.js';
import {
  findTool,
  listTools,
  runTool,
  type ToolCaller,
  type ToolPorts,
} from '../../../tools/utility-tools.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json } from '../../respond.js';
import { watsonxError } from './watsonx-route-shapes.js';

const scopeQuery = z.object({
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
});
const errors = {
  400: watsonxError('Invalid tool input'),
  403: watsonxError('Refused (a private address, or no permission)'),
  404: watsonxError('No such tool or collection'),
};

/** The ports the tools run on, from the installed modules. */
export function toolPorts(services: KeelServices): ToolPorts {
  const { data } = services as KeelServices & { data?: DataService };
  return {
    allowPrivateNetwork: services.config.security.allowPrivateNetworkFetch,
    ragSearch: async (caller, collection, query, topK) => {
      const result = await services.rag.search(caller, collection, { query, top_k: topK });
      return { collection, mode: result.mode, hits: result.hits, warnings: result.warnings };
    },
    ...(data
      ? {
          sqlQuery: async (caller: ToolCaller, sql: string, maxRows: number) =>
            data.query(caller.projectId, { sql, maxRows, role: caller.role, signal: caller.signal }),
        }
      : {}),
  };
}

function callerFor(c: Context<KeelEnv>, permission: 'read'): ToolCaller {
  const query = c.req.query();
  const scope = projectScope(c, permission, query.project_id ?? query.space_id);
  const principal = c.get('principal');
  return {
    projectId: scope.projectId,
    keyId: principal.keyId,
    actor: principal.userId ?? principal.keyId,
    role: scope.role,
    signal: requestSignal(c),
  };
}

export function registerUtilityTools(
  app: OpenAPIHono<KeelEnv>,
  services: KeelServices,
  ports: ToolPorts = toolPorts(services),
): void {
  const run = async (
    c: Context<KeelEnv>,
    name: string,
    input: string | Record<string, unknown>,
    config = {},
  ) => {
    const caller = callerFor(c, 'read');
    const started = Date.now();
    try {
      const output = await runTool(ports, caller, name, input, config);
      services.audit.record({
        action: 'watsonx.tool.run',
        projectId: caller.projectId,
        target: { type: 'utility_tool', id: name },
        detail: { tool: name, ms: Date.now() - started },
      });
      return json({ output });
    } catch (error) {
      services.audit.record({
        action: 'watsonx.tool.run.refused',
        projectId: caller.projectId,
        target: { type: 'utility_tool', id: name },
        detail: { tool: name, code: error instanceof KeelError ? error.code : 'internal' },
      });
      throw error;
    }
  };

  for (const prefix of ['/wx/v1-beta', '/v1-beta']) {
    const base = `${prefix}/utility_agent_tools`;
    app.openapi(
      createRoute({
        method: 'get',
        path: base,
        tags: ['watsonx.ai-compatible'],
        summary: 'List Keel’s utility agent tools',
        request: { query: scopeQuery },
        responses: {
          200: {
            description: 'The tools',
            content: { 'application/json': { schema: utilityToolListSchema } },
          },
        },
      }),
      (c) => {
        callerFor(c, 'read');
        return json({ resources: listTools(ports) });
      },
    );
    app.openapi(
      createRoute({
        method: 'post',
        path: `${base}/run`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Run a utility agent tool',
        request: {
          query: scopeQuery,
          body: { required: true, content: { 'application/json': { schema: toolRunSchema } } },
        },
        responses: {
          200: {
            description: 'Its output',
            content: { 'application/json': { schema: toolRunResponseSchema } },
          },
          ...errors,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        return run(c, body.tool_name, body.input, body.config);
      },
    );
    app.openapi(
      createRoute({
        method: 'get',
        path: `${base}/{tool_id}`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Describe a utility agent tool',
        request: { params: toolIdParam, query: scopeQuery },
        responses: {
          200: { description: 'The tool', content: { 'application/json': { schema: utilityToolSchema } } },
          404: errors[404],
        },
      }),
      (c) => {
        callerFor(c, 'read');
        return json(findTool(ports, c.req.valid('param').tool_id));
      },
    );
    app.openapi(
      createRoute({
        method: 'post',
        path: `${base}/run/{tool_id}`,
        tags: ['watsonx.ai-compatible'],
        summary: 'Run a utility agent tool by name',
        request: {
          params: toolIdParam,
          query: scopeQuery,
          body: { required: true, content: { 'application/json': { schema: toolRunByNameSchema } } },
        },
        responses: {
          200: {
            description: 'Its output',
            content: { 'application/json': { schema: toolRunResponseSchema } },
          },
          ...errors,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        return run(c, c.req.valid('param').tool_id, body.input, body.config);
      },
    );
  }
}
