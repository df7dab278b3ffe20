/**
 * @module tools/utility-tools
 * Keel's own utility agent tools, served in watsonx.ai's utility-agent-tools dialect: `RAGQuery`
 * (search a project's RAG collection), `SQLQuery` (one read-only SELECT over the project's data
 * tables, when the data module is installed) and `Webcrawler` (a URL's text, fetched only from
 * public addresses unless private-network fetches are configured). Every run is audited by the
 * caller; each tool declares a JSON input schema the way watsonx lists them.
 */
import { KeelError } from '../core/errors.js';
import { assertPublicUrl, redact } from '../core/outbound-url.js';
import { htmlToText } from './html-text.js';

export interface ToolCaller {
  projectId: string;
  keyId: string | null;
  actor: string | null;
  /** The caller's role in the project: masking policies name roles (absent: every mask applies). */
  role?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What the tools run on; a tool whose port is missing is not listed. */
export interface ToolPorts {
  ragSearch?: (caller: ToolCaller, collection: string, query: string, topK: number) => Promise<unknown>;
  sqlQuery?: (caller: ToolCaller, sql: string, maxRows: number) => Promise<unknown>;
  fetchImpl?: typeof fetch;
  allowPrivateNetwork?: boolean;
  /** The most bytes Webcrawler reads from a page (default 2 MiB). */
  maxFetchBytes?: number;
}

export interface ToolDefinition {
  name: string;
  description: string;
  agent_description: string;
  input_schema: Record<string, unknown>;
  config_schema?: Record<string, unknown>;
}

type Input = string | Record<string, unknown>;

interface Tool extends ToolDefinition {
  available: (ports: ToolPorts) => boolean;
  run: (
    ports: ToolPorts,
    caller: ToolCaller,
    input: Input,
    config: Record<string, unknown>,
  ) => Promise<unknown>;
}

function badInput(tool: string, field: string, message: string): KeelError {
  return new KeelError('invalid_request', `${tool}: ${message}`, {
    issues: [{ code: 'invalid_tool_input', path: ['input', field], message }],
  });
}

function field(input: Input, config: Record<string, unknown>, name: string, fallback?: 'string'): unknown {
  if (typeof input === 'string') return fallback ? input : config[name];
  return input[name] ?? config[name];
}

function requiredText(tool: string, value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badInput(tool, name, `give \`${name}\` as text`);
  if (value.length > max) throw badInput(tool, name, `\`${name}\` is longer than ${max} characters`);
  return value;
}

function boundedInt(tool: string, value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw badInput(tool, name, `\`${name}\` is a whole number from 1 to ${max}`);
  return value;
}

const tools: Tool[] = [
  {
    name: 'RAGQuery',
    description: 'Search a RAG collection of this Keel project and return the best matching passages.',
    agent_description:
      'Searches the documents of a Keel RAG collection. Input: `query` (what to look for) and `collection` (its id or name).',
    input_schema: {
      type: 'object',
      properties: {
        query: { type: 'string', title: 'Query', description: 'What to search for' },
        collection: { type: 'string', title: 'Collection', description: 'Collection id or name' },
        top_k: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
      },
      required: ['query', 'collection'],
    },
    config_schema: {
      type: 'object',
      properties: { collection: { type: 'string', description: 'Default collection id or name' } },
    },
    available: (ports) => ports.ragSearch !== undefined,
    run: async (ports, caller, input, config) => {
      const query = requiredText('RAGQuery', field(input, config, 'query', 'string'), 'query', 4000);
      const collection = requiredText('RAGQuery', field(input, config, 'collection'), 'collection', 200);
      const topK = boundedInt('RAGQuery', field(input, config, 'top_k'), 'top_k', 5, 50);
      return ports.ragSearch!(caller, collection, query, topK);
    },
  },
  {
    name: 'SQLQuery',
    description: 'Run one read-only SQL SELECT over the data tables of this Keel project.',
    agent_description:
      'Answers questions about tabular data with one read-only SQL SELECT (DuckDB dialect). Input: `sql`.',
    input_schema: {
      type: 'object',
      properties: {
        sql: { type: 'string', title: 'SQL', description: 'One SELECT statement' },
        max_rows: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      },
      required: ['sql'],
    },
    available: (ports) => ports.sqlQuery !== undefined,
    run: async (ports, caller, input, config) => {
      const sql = requiredText('SQLQuery', field(input, config, 'sql', 'string'), 'sql', 20_000);
      const maxRows = boundedInt('SQLQuery', field(input, config, 'max_rows'), 'max_rows', 100, 1000);
      return ports.sqlQuery!(caller, sql, maxRows);
    },
  },
  {
    name: 'Webcrawler',
    description: 'Fetch a web page and return its text.',
    agent_description:
      'Fetches the content of a single public web page as text. Input: `url` (https). Private and loopback addresses are refused.',
    input_schema: {
      type: 'object',
      properties: { url: { type: 'string', title: 'URL', description: 'The page to fetch' } },
      required: ['url'],
    },
    available: () => true,
    run: async (ports, caller, input, config) => {
      const url = requiredText('Webcrawler', field(input, config, 'url', 'string'), 'url', 2000);
      return crawl(ports, caller, url);
    },
  },
];

/** The tools this installation offers (watsonx's `resources`). */
export function listTools(ports: ToolPorts): ToolDefinition[] {
  return tools.filter((tool) => tool.available(ports)).map(definitionOf);
}

export function findTool(ports: ToolPorts, name: string): ToolDefinition {
  return definitionOf(toolNamed(ports, name));
}

export async function runTool(
  ports: ToolPorts,
  caller: ToolCaller,
  name: string,
  input: Input,
  config: Record<string, unknown> = {},
): Promise<unknown> {
  return toolNamed(ports, name).run(ports, caller, input, config);
}

function toolNamed(ports: ToolPorts, name: string): Tool {
  const tool = tools.find((candidate) => candidate.name === name && candidate.available(ports));
  if (!tool) {
    const offered = listTools(ports).map((entry) => entry.name);
    throw new KeelError('not_found', `No utility agent tool "${name}". Keel offers: ${offered.join(', ')}.`, {
      issues: [{ code: 'unknown_tool', path: ['tool_name'], message: `one of ${offered.join(', ')}` }],
    });
  }
  return tool;
}

function definitionOf(tool: Tool): ToolDefinition {
  return {
    name: tool.name,
    description: tool.description,
    agent_description: tool.agent_description,
    input_schema: tool.input_schema,
    ...(tool.config_schema ? { config_schema: tool.config_schema } : {}),
  };
}

const MAX_REDIRECTS = 5;

async function crawl(ports: ToolPorts, caller: ToolCaller, text: string): Promise<string> {
  const guard = { allowPrivateNetwork: ports.allowPrivateNetwork ?? false };
  const fetchImpl = ports.fetchImpl ?? fetch;
  let url = await assertPublicUrl(text, guard);
  let response: Response | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const signal = caller.signal
      ? AbortSignal.any([caller.signal, AbortSignal.timeout(15_000)])
      : AbortSignal.timeout(15_000);
    try {
      response = await fetchImpl(url, {
        redirect: 'manual',
        signal,
        headers: { 'user-agent': 'keel-webcrawler' },
      });
    } catch (error) {
      throw new KeelError('network_error', `Could not fetch ${redact(url)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      // Every hop is checked again: a public page must not bounce the crawler to a private one.
      url = await assertPublicUrl(new URL(location, url), guard);
      response = undefined;
      continue;
    }
    break;
  }
  if (!response) throw new KeelError('upstream_error', `Too many redirects fetching ${redact(url)}.`);
  if (!response.ok) {
    await response.body?.cancel();
    throw new KeelError('upstream_error', `${redact(url)} answered HTTP ${response.status}.`, {
      data: { status: response.status },
    });
  }
  const body = await readBounded(response, ports.maxFetchBytes ?? 2 * 1024 * 1024);
  const type = response.headers.get('content-type') ?? '';
  return /html|xml/i.test(type) || /^\s*</.test(body) ? htmlToText(body) : body;
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - size;
    chunks.push(value.length > room ? value.subarray(0, room) : value);
    size += Math.min(value.length, room);
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
