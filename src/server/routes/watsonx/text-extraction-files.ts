/**
 * @module server/routes/watsonx/text-extraction-files
 * The project's files, where text extraction reads documents and writes results (watsonx.ai
 * expects the document already in connected storage; in Keel that storage is the project's file
 * folder). `PUT /api/v1/files/{name}` stores the request body as the file (any bytes; the name
 * may hold `/` encoded as `%2F`), `GET /api/v1/files` lists them, `GET /api/v1/files/{name}`
 * downloads one, `DELETE` removes it. The project is `?project_id=`, the `x-keel-project` header,
 * or the caller's default.
 *
 * @example
 * curl -X PUT --data-binary @report.pdf -H 'authorization: Bearer …' \
 *   'http://127.0.0.1:4141/api/v1/files/report.pdf?project_id=p1'
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TextExtractionService } from '../../../extraction/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';

const fileInfo = z.object({ name: z.string(), bytes: z.number(), modified_at: z.string() });
const nameParam = z.object({ name: z.string().min(1).max(512) });
const projectQuery = z.object({ project_id: z.string().min(1).optional() });

function infoJson(info: { name: string; bytes: number; modifiedAt: string }) {
  return { name: info.name, bytes: info.bytes, modified_at: info.modifiedAt };
}

export function registerProjectFiles(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { extraction } = services as KeelServices & { extraction: TextExtractionService };
  const files = extraction.files;
  const tags = ['Files'];

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/files/{name}',
      tags,
      summary: 'Store a file in the project (the body is the file)',
      request: {
        params: nameParam,
        query: projectQuery,
        body: {
          required: true,
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
        },
      },
      responses: { 201: { description: 'Stored', content: { 'application/json': { schema: fileInfo } } } },
    }),
    async (c) => {
      const scope = projectScope(c, 'write', c.req.valid('query').project_id);
      const name = c.req.valid('param').name;
      const data = new Uint8Array(await c.req.arrayBuffer());
      const info = await files.write(scope.projectId, name, data);
      services.audit.record({
        action: 'file.put',
        projectId: scope.projectId,
        target: { type: 'file', id: info.name },
        after: { bytes: info.bytes },
      });
      return json(infoJson(info), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/files',
      tags,
      summary: 'List the files of the project',
      request: { query: projectQuery },
      responses: {
        200: {
          description: 'Files',
          content: { 'application/json': { schema: z.object({ data: z.array(fileInfo) }) } },
        },
      },
    }),
    async (c) => {
      const scope = projectScope(c, 'read', c.req.valid('query').project_id);
      return json({ data: (await files.list(scope.projectId)).map(infoJson) });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/files/{name}',
      tags,
      summary: 'Download a file of the project',
      request: { params: nameParam, query: projectQuery },
      responses: {
        200: {
          description: 'The file',
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
        },
      },
    }),
    async (c) => {
      const scope = projectScope(c, 'read', c.req.valid('query').project_id);
      const data = await files.read(scope.projectId, c.req.valid('param').name);
      return new Response(new Uint8Array(data), {
        status: 200,
        headers: { 'content-type': 'application/octet-stream', 'x-content-type-options': 'nosniff' },
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/files/{name}',
      tags,
      summary: 'Remove a file of the project',
      request: { params: nameParam, query: projectQuery },
      responses: { 204: { description: 'Removed' } },
    }),
    async (c) => {
      const scope = projectScope(c, 'write', c.req.valid('query').project_id);
      const name = c.req.valid('param').name;
      await files.remove(scope.projectId, name);
      services.audit.record({
        action: 'file.delete',
        projectId: scope.projectId,
        target: { type: 'file', id: name },
      });
      return new Response(null, { status: 204 }) as never;
    },
  );
}
