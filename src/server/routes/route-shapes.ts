/**
 * @module server/routes/route-shapes
 * The OpenAPI pieces Keel's own `/api/v1` routes share: the coded error responses (Keel's error
 * shape), a 200 JSON response beside them, and a required JSON body.
 */
import type { z } from '@hono/zod-openapi';
import { keelErrorSchema } from '../../api/platform.js';

/** One coded error response in Keel's error shape, for statuses beyond `keelErrors`. */
export const keelError = (description: string) => ({
  description,
  content: { 'application/json': { schema: keelErrorSchema } },
});

export const keelErrors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: keelErrorSchema } } },
  403: { description: 'Not allowed', content: { 'application/json': { schema: keelErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: keelErrorSchema } } },
} as const;

/** A 200 JSON response with `schema`, and the coded errors. */
export const okJson = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...keelErrors,
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
