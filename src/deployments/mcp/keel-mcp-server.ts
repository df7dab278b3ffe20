/**
 * @module deployments/mcp/keel-mcp-server
 * Keel as a Model Context Protocol server, for one caller in one project: each deployment of the
 * project is a tool whose input schema is its prompt variables (a RAG deployment takes a
 * `question`), and each RAG collection offers two tools, `search_<name>` and `ask_<name>`. Calls
 * go through the same services as the HTTP API — the deployment gate, guardrails, the ledger
 * (a deployment's calls count against its limits and keys scoped to it) and the request log.
 *
 * Tool failures a model can act on (a missing variable, a refused budget) come back as tool
 * results with `isError`, naming the code; protocol errors stay protocol errors.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { KeelError, toKeelError } from '../../core/errors.js';
import type { RagService } from '../../rag/index.js';
import type { DeploymentService } from '../index.js';
import { runForDeployment } from '../ledger/index.js';

export interface McpCaller {
  projectId: string;
  keyId: string | null;
  actor: string | null;
  role?: string | undefined;
  signal?: AbortSignal | undefined;
  requestId: string;
}

export interface KeelMcpDeps {
  deployments: DeploymentService;
  rag: RagService;
  version: string;
}

type ToolTarget =
  | { kind: 'deployment'; id: string }
  | { kind: 'search'; collectionId: string }
  | { kind: 'ask'; collectionId: string };

/** A tool name from a resource name: letters, digits, `_` and `-`, at most 64 characters. */
export function toolName(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_-]+/g, '_')}`.slice(0, 64);
}

const jsonTypes: Record<string, Record<string, unknown>> = {
  string: { type: 'string' },
  number: { type: 'number' },
  integer: { type: 'integer' },
  boolean: { type: 'boolean' },
  json: {},
};

function textResult(text: string, structured?: Record<string, unknown>) {
  return {
    content: [{ type: 'text' as const, text }],
    ...(structured ? { structuredContent: structured } : {}),
  };
}

function errorResult(error: unknown) {
  const keelError = toKeelError(error);
  return {
    content: [{ type: 'text' as const, text: `${keelError.code}: ${keelError.message}` }],
    structuredContent: {
      code: keelError.code,
      message: keelError.message,
      ...(keelError.issues ? { issues: keelError.issues } : {}),
    },
    isError: true,
  };
}

/** The tools of the caller's project, with what each calls. */
async function catalog(
  deps: KeelMcpDeps,
  caller: McpCaller,
): Promise<Map<string, { tool: Tool; target: ToolTarget }>> {
  const tools = new Map<string, { tool: Tool; target: ToolTarget }>();
  for (const deployment of await deps.deployments.list(caller.projectId)) {
    let variables: Awaited<ReturnType<DeploymentService['variables']>>;
    try {
      variables = await deps.deployments.variables(
        await deps.deployments.prepare(caller.projectId, deployment.id, caller.requestId),
      );
    } catch {
      continue; // not serving now (a production deployment whose approval was revoked)
    }
    const properties: Record<string, Record<string, unknown>> = {};
    for (const variable of variables) {
      const described = variable as { description?: string };
      properties[variable.name] = {
        ...(jsonTypes[variable.type] ?? {}),
        ...(described.description ? { description: described.description } : {}),
      };
    }
    const name = toolName('deployment', deployment.servingName ?? deployment.name);
    tools.set(name, {
      target: { kind: 'deployment', id: deployment.id },
      tool: {
        name,
        title: deployment.name,
        description: deployment.description || `Calls the Keel deployment "${deployment.name}".`,
        inputSchema: {
          type: 'object',
          properties,
          required: variables.filter((variable) => variable.required).map((variable) => variable.name),
          additionalProperties: false,
        },
      },
    });
  }
  const collections = await deps.rag.list({
    projectId: caller.projectId,
    keyId: caller.keyId,
    actor: caller.actor,
  });
  for (const collection of collections as { id: string; name: string; description?: string | null }[]) {
    const search = toolName('search', collection.name);
    tools.set(search, {
      target: { kind: 'search', collectionId: collection.id },
      tool: {
        name: search,
        title: `Search ${collection.name}`,
        description: `Searches the document collection "${collection.name}"${collection.description ? ` (${collection.description})` : ''}; returns the best passages with their sources.`,
        inputSchema: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'What to look for' },
            top_k: {
              type: 'integer',
              minimum: 1,
              maximum: 50,
              description: 'Passages to return (default 5)',
            },
          },
          required: ['query'],
          additionalProperties: false,
        },
      },
    });
    const ask = toolName('ask', collection.name);
    tools.set(ask, {
      target: { kind: 'ask', collectionId: collection.id },
      tool: {
        name: ask,
        title: `Ask ${collection.name}`,
        description: `Answers a question from the document collection "${collection.name}", citing its passages.`,
        inputSchema: {
          type: 'object',
          properties: { question: { type: 'string', description: 'The question' } },
          required: ['question'],
          additionalProperties: false,
        },
      },
    });
  }
  return tools;
}

function stringArgument(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || !value.trim())
    throw new KeelError('invalid_request', `"${name}" must be a non-empty string.`, {
      issues: [{ code: 'required', path: [name], message: `Give ${name} as text` }],
    });
  return value;
}

async function callTool(
  deps: KeelMcpDeps,
  caller: McpCaller,
  target: ToolTarget,
  args: Record<string, unknown>,
) {
  const rag = {
    projectId: caller.projectId,
    keyId: caller.keyId,
    actor: caller.actor,
    signal: caller.signal,
  };
  if (target.kind === 'search') {
    const topK = args.top_k;
    const result = await deps.rag.search(rag, target.collectionId, {
      query: stringArgument(args, 'query'),
      ...(typeof topK === 'number' ? { top_k: topK } : {}),
    });
    const hits = result.hits as { text?: string; score?: number; document?: { name?: string } }[];
    return textResult(
      hits.map((hit, index) => `[${index + 1}] ${hit.text ?? ''}`).join('\n\n') || 'No passage found.',
      { hits: result.hits as unknown[] },
    );
  }
  if (target.kind === 'ask') {
    const answer = await deps.rag.ask(rag, target.collectionId, {
      question: stringArgument(args, 'question'),
    });
    return textResult(answer.answer, {
      answer: answer.answer,
      status: answer.status,
      citations: answer.citations,
    });
  }
  const result = await runForDeployment(target.id, () =>
    deps.deployments.invoke({ ...caller }, target.id, {
      variables: args,
      requestId: caller.requestId,
      endpoint: '/mcp',
    }),
  );
  if (result.kind === 'rag_collection')
    return textResult(result.answer.answer, { answer: result.answer.answer, status: result.answer.status });
  return textResult(result.run.output, { output: result.run.output });
}

/** A protocol server for one request of `caller` (the HTTP route makes one per request: stateless). */
export function createKeelMcpServer(deps: KeelMcpDeps, caller: McpCaller): Server {
  const server = new Server(
    { name: 'keel', version: deps.version },
    { capabilities: { tools: { listChanged: false } } },
  );
  let tools: Promise<Map<string, { tool: Tool; target: ToolTarget }>> | undefined;
  const loadTools = () => {
    tools ??= catalog(deps, caller);
    return tools;
  };
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [...(await loadTools()).values()].map((entry) => entry.tool),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const entry = (await loadTools()).get(request.params.name);
    if (!entry)
      return errorResult(
        new KeelError('not_found', `No tool named "${request.params.name}" in this project.`),
      );
    try {
      return await callTool(
        deps,
        caller,
        entry.target,
        (request.params.arguments ?? {}) as Record<string, unknown>,
      );
    } catch (error) {
      return errorResult(error);
    }
  });
  return server;
}
