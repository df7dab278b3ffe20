/**
 * @module server/routes/prompts/shared
 * What every Prompt Lab route shares: the error responses, parameter schemas and Server-Sent
 * Events formatting (the caller comes from server/project-scope `callerOf`).
 */
import { z } from '@hono/zod-openapi';
import { keelErrorSchema } from '../../../api/platform.js';
import { labelNameSchema, promptNameSchema } from '../../../api/prompts.js';
import { issuesFromZod, KeelError } from '../../../core/errors.js';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: keelErrorSchema } },
});

export const errorResponses = {
  400: error('Invalid request (issues[] with paths)'),
  403: error('Not allowed'),
  404: error('Not found (also: another project’s template)'),
  409: error('Conflict: a stale base version, or a session locked by another editor'),
  413: error('Template larger than the limit'),
} as const;

export const projectHeader = z.object({ 'x-keel-project': z.string().optional() });
export const promptParam = z.object({
  prompt: z.string().min(1).describe('name, name@<version> or name@<label>'),
});
export const idParam = z.object({ id: z.string().min(1) });
export const revealQuery = z.object({
  reveal: z
    .enum(['true', 'false'])
    .optional()
    .describe('raw values of what the guardrail policy masked, for roles it lets restore'),
});

/** Checks a path segment against a schema; a bad one is a 400 naming the parameter. */
function pathSegment(schema: z.ZodType<string>, value: string, parameter: string, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new KeelError('invalid_request', `"${value}" is not ${what}.`, {
      issues: issuesFromZod(parsed.error.issues).map((issue) => ({
        ...issue,
        path: [parameter, ...issue.path],
      })),
    });
  }
  return parsed.data;
}

/** A path segment that must be a plain template name (changes never go through a label). */
export function plainName(value: string): string {
  return pathSegment(
    promptNameSchema,
    value,
    'prompt',
    'a template name; changes address a template by its plain name',
  );
}

export function labelName(value: string): string {
  return pathSegment(labelNameSchema, value, 'label', 'a label name');
}

/** One SSE event: the event name is the payload's `type`. */
export function sseEvent(payload: { type: string }): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Maps an async iterable of typed payloads to SSE text. */
export async function* sseEvents(events: AsyncGenerator<{ type: string }>): AsyncGenerator<string> {
  try {
    for await (const event of events) yield sseEvent(event);
  } finally {
    await events.return(undefined);
  }
}
