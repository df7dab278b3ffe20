/**
 * @module prompts/check-template
 * Everything a template body must pass before it is saved or run: the size limit (a few-shot
 * pool has its own), well-formed placeholders and variable declarations, a bound model id of the
 * right shape, a few-shot pool whose k fits, and an output schema that is a valid JSON Schema. Problems come back together, as issues with paths.
 */
import { TEMPLATE_SIZE_LIMIT_BYTES, type TemplateBody } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import { type CompiledTemplate, compileTemplate } from './compile-template.js';
import { schemaIssues } from './json-schema.js';

export function templateSize(body: TemplateBody): number {
  return Buffer.byteLength(JSON.stringify(body), 'utf8');
}

/** Compiles the body or throws `payload_too_large` / `invalid_request` with every issue found. */
export function checkTemplate(
  body: TemplateBody,
  path: (string | number)[] = ['template'],
): CompiledTemplate {
  // The few-shot pool has its own limit (checked when compiling).
  const size = body.few_shot
    ? templateSize({ ...body, few_shot: { ...body.few_shot, examples: [] } })
    : templateSize(body);
  if (size > TEMPLATE_SIZE_LIMIT_BYTES) {
    throw new KeelError(
      'payload_too_large',
      `The template is ${size} bytes; templates may be at most ${TEMPLATE_SIZE_LIMIT_BYTES} bytes.`,
      {
        data: { sizeBytes: size, limitBytes: TEMPLATE_SIZE_LIMIT_BYTES },
        issues: [{ code: 'too_big', path, message: `${size} bytes > ${TEMPLATE_SIZE_LIMIT_BYTES}` }],
      },
    );
  }
  const compiled = compileTemplate(body);
  const issues = compiled.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path.slice(1)] }));
  if (body.output_schema) {
    for (const issue of schemaIssues(body.output_schema)) {
      issues.push({
        ...issue,
        path: [...path, 'output_schema', ...issue.path],
        message: `not a valid JSON Schema: ${issue.message}`,
      });
    }
  }
  if (issues.length) {
    const first = issues[0]!;
    throw new KeelError(
      'invalid_request',
      `The template is invalid at ${first.path.join('.')}: ${first.message}.`,
      { issues },
    );
  }
  return compiled;
}
