/**
 * @module server/routes/deployments/mcp
 * `/mcp`: Keel as a Model Context Protocol server over Streamable HTTP, stateless (each POST
 * carries one JSON-RPC message or batch and gets its JSON answer; no session, so any replica
 * serves any request). Authenticated by API key like the rest of the API; the tools are those of
 * the caller's project (`X-Keel-Project`, else the key's own), and calling one needs the
 * `invoke` permission. GET and DELETE (server-initiated streams, sessions) answer 405.
 */

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createKeelMcpServer } from '../../../deployments/mcp/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { authenticate } from '../../middleware/authenticate.js';
import { callerOf } from '../../project-scope.js';
import { keelError } from '../route-shapes.js';

export const MCP_PATH = '/mcp';

const jsonRpcMessage = z
  .looseObject({ jsonrpc: z.literal('2.0'), id: z.union([z.string(), z.number(), z.null()]).optional() })
  .describe('one JSON-RPC 2.0 message');
const jsonRpcError = {
  description: 'A JSON-RPC error (parse error, invalid request)',
  content: {
    'application/json': {
      schema: z.looseObject({
        jsonrpc: z.literal('2.0'),
        error: z.looseObject({ code: z.number().int(), message: z.string() }),
      }),
    },
  },
};

/**
 * Documented only (the MCP transport reads the raw request itself): a JSON-RPC message or batch;
 * `Accept` must name both application/json and text/event-stream.
 */
const route = createRoute({
  method: 'post',
  path: MCP_PATH,
  tags: ['Deployments'],
  summary: "MCP (Streamable HTTP, stateless): the project's deployments and collections as tools",
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.union([jsonRpcMessage, z.array(jsonRpcMessage)]) } },
    },
  },
  responses: {
    200: {
      description: 'The JSON-RPC answer (an array for a batch)',
      content: { 'application/json': { schema: z.union([jsonRpcMessage, z.array(jsonRpcMessage)]) } },
    },
    202: { description: 'Accepted (notifications and responses only)' },
    400: jsonRpcError,
    403: keelError('Not allowed'),
    406: jsonRpcError,
    415: jsonRpcError,
  },
});

export function registerMcpRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openAPIRegistry.registerPath(route);
  app.use(MCP_PATH, authenticate(services));
  app.all(MCP_PATH, async (c) => {
    if (c.req.method !== 'POST') {
      return c.json(
        {
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Method not allowed: this server is stateless, POST only.' },
          id: null,
        },
        405,
        { allow: 'POST' },
      );
    }
    const caller = callerOf(c, 'invoke');
    const server = createKeelMcpServer(
      { deployments: services.deployments, rag: services.rag, version: services.version },
      { ...caller, requestId: c.get('requestId') },
    );
    // No session id generator: stateless.
    const transport = new WebStandardStreamableHTTPServerTransport({
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
}
