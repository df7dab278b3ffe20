/**
 * @module test/fuzz/support/openapi-operations
 * The operations of Keel's own `/openapi.json`, flattened: method, path template, parameters,
 * the JSON request body schema and the response schemas. The fuzz suites iterate over these, so a
 * new route is fuzzed and put through the isolation matrix without anyone listing it.
 */
import type { ErrorFormat } from '../../../src/server/context.js';

export type JsonSchema = Record<string, unknown>;

/** An error dialect: the server's three, and JSON-RPC (the MCP endpoint's transport). */
export type Family = ErrorFormat | 'jsonrpc';

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Replaces each `$ref` to `#/components/schemas/…` by the schema it names (named schemas, from
 * zod's `.openapi('Name')`), so every operation's schemas stand alone for Ajv and the fuzzer.
 * A reference back into a schema being expanded stays as it is (none in Keel's document).
 */
export function inlineRefs(value: unknown, doc: OpenApiDocument, seen: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => inlineRefs(item, doc, seen));
  if (!value || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const ref = object.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/') && !seen.includes(ref)) {
    const target = doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)];
    if (!target) throw new Error(`the document has no ${ref}`);
    const { $ref: _, ...rest } = object;
    return {
      ...(inlineRefs(target, doc, [...seen, ref]) as JsonSchema),
      ...(inlineRefs(rest, doc, seen) as JsonSchema),
    };
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, inlineRefs(v, doc, seen)]));
}

interface ParameterObject {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  security?: unknown[];
}

export interface Operation {
  /** `GET /api/v1/collections/{id}` */
  key: string;
  method: string;
  path: string;
  pathParams: string[];
  queryParams: ParameterObject[];
  /** Media types the request body may have (empty: no body). */
  bodyTypes: string[];
  bodySchema: JsonSchema | undefined;
  /** Response schemas by status code and media type. */
  responses: Record<string, Record<string, JsonSchema | undefined>>;
  /** True when the document says the operation needs no credentials. */
  public: boolean;
  family: Family;
}

/** The watsonx data-platform paths: prompt assets and sessions (also at the root), beta, search. */
const watsonxPlatform = /^\/(wx\/|v1\/prompts(\/|$)|v1\/prompt_sessions(\/|$)|v1-beta\/)/;

/**
 * Which error dialect a path answers in (the server decides by prefix, as here): watsonx.ai under
 * /ml, /v2 and the data-platform paths, OpenAI under the rest of /v1, else Keel. `/mcp` answers
 * its transport's refusals as JSON-RPC errors, Keel's (keys, permissions) in Keel's dialect.
 */
export function familyOf(pathname: string): Family {
  if (pathname === '/mcp') return 'jsonrpc';
  if (pathname.startsWith('/ml/') || pathname.startsWith('/v2/') || watsonxPlatform.test(pathname))
    return 'watsonx';
  if (pathname.startsWith('/v1/')) return 'openai';
  return 'keel';
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  const paths = inlineRefs(doc.paths, doc) as OpenApiDocument['paths'];
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!methods.includes(method)) continue;
      const parameters = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const responses: Operation['responses'] = {};
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        responses[status] = Object.fromEntries(
          Object.entries(response.content ?? {}).map(([type, media]) => [type, media.schema]),
        );
      }
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
        queryParams: parameters.filter((parameter) => parameter.in === 'query'),
        bodyTypes: Object.keys(content),
        bodySchema: content['application/json']?.schema,
        responses,
        public: Array.isArray(op.security) && op.security.length === 0,
        family: familyOf(path),
      });
    }
  }
  return operations;
}

/** Fills a path template; values are inserted as given (callers encode, or deliberately don't). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${template}`);
    return value;
  });
}

/** True when `pathname` (a concrete path) is an instance of the template `template`. */
export function matchesTemplate(template: string, pathname: string): boolean {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(pathname);
}
