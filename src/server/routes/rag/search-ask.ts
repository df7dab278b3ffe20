/**
 * @module server/routes/rag/search-ask
 * `/api/v1/collections/{id}/search` and `/ask`: search and answers with verified citations
 * (streamed as server-sent events on request), and `/api/v1/collections/preview`: the chunks a
 * chunker configuration would make, nothing stored.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  askRequestSchema,
  askResponseSchema,
  previewRequestSchema,
  searchRequestSchema,
  searchResponseSchema,
} from '../../../api/rag.js';
import { KeelError } from '../../../core/errors.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { guardrailsFor } from '../../guardrails-scope.js';
import { callerOf, projectScope } from '../../project-scope.js';
import { json, sse } from '../../respond.js';
import { jsonBody, okJson as ok } from '../route-shapes.js';
import { idParam, tags } from './rag-route-parts.js';

const routes = {
  search: createRoute({
    method: 'post',
    path: '/api/v1/collections/{id}/search',
    tags,
    summary: 'Search (vector, keyword or hybrid)',
    request: { params: idParam, ...jsonBody(searchRequestSchema) },
    responses: ok(searchResponseSchema, 'Hits'),
  }),
  ask: createRoute({
    method: 'post',
    path: '/api/v1/collections/{id}/ask',
    tags,
    summary: 'Answer a question with verified citations (`stream: true` for server-sent events)',
    request: { params: idParam, ...jsonBody(askRequestSchema) },
    responses: ok(askResponseSchema, 'The answer'),
  }),
  preview: createRoute({
    method: 'post',
    path: '/api/v1/collections/preview',
    tags,
    summary: 'The chunks a chunker configuration would make of a text (nothing stored)',
    request: {
      body: {
        required: false,
        content: {
          'application/json': { schema: previewRequestSchema },
          'multipart/form-data': {
            schema: z.object({
              file: z.any().optional().openapi({ type: 'string', format: 'binary' }),
              chunker: z.string().optional().openapi({ description: 'the chunker configuration, as JSON' }),
            }),
          },
        },
      },
    },
    responses: ok(
      z.object({ chunks: z.array(z.record(z.string(), z.unknown())), warnings: z.array(z.unknown()) }),
      'Chunks',
    ),
  }),
};

export function registerSearchAskRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const rag = services.rag;

  app.openapi(routes.search, async (c) =>
    json(await rag.search(callerOf(c, 'read'), c.req.valid('param').id, c.req.valid('json'))),
  );
  app.openapi(routes.ask, async (c) => {
    const body = c.req.valid('json');
    // The project's guardrail policy (or the one named in X-Keel-Guardrail-Policy) covers the answer.
    const who = {
      ...callerOf(c, 'invoke'),
      guardrails: await guardrailsFor(c, services, projectScope(c, 'invoke')),
      // The answer's guardrail decisions (the prompt's, the output's, each screened passage's) under this request.
      requestId: c.get('requestId'),
    };
    const id = c.req.valid('param').id;
    if (!body.stream) return json(await rag.ask(who, id, body));
    const stream = await rag.askStream(who, id, body);
    async function* events(): AsyncGenerator<string> {
      try {
        for await (const event of stream) yield `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      } catch (error) {
        const failure = error instanceof KeelError ? error : new KeelError('internal', 'The answer failed.');
        yield `event: error\ndata: ${JSON.stringify({ type: 'error', error: { code: failure.code, message: failure.message } })}\n\n`;
      }
    }
    return sse(events());
  });
  app.openapi(routes.preview, async (c) => {
    callerOf(c, 'read');
    if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
      const form = await c.req.parseBody();
      const file = form.file;
      if (!(file instanceof File))
        throw new KeelError('invalid_request', 'Send the file to preview as the multipart "file" field.', {
          issues: [{ code: 'missing_file', path: ['file'], message: 'no file in the upload' }],
        });
      let chunker: Record<string, unknown> | undefined;
      if (typeof form.chunker === 'string' && form.chunker.trim()) {
        try {
          chunker = JSON.parse(form.chunker);
        } catch {
          throw new KeelError('invalid_request', 'The "chunker" field must be a JSON object.', {
            issues: [{ code: 'invalid_json', path: ['chunker'], message: 'not JSON' }],
          });
        }
      }
      return json(
        await rag.preview({
          data: new Uint8Array(await file.arrayBuffer()),
          file_name: file.name,
          media_type: file.type || undefined,
          chunker,
        }),
      );
    }
    return json(await rag.preview(c.req.valid('json') as z.infer<typeof previewRequestSchema>));
  });
}
