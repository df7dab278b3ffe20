/**
 * @module test/fuzz/support/response-schemas
 * Holds an answer against the response schema the OpenAPI document declares for its operation
 * and status. The document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12: Ajv's 2020
 * dialect reads them as they are (type arrays for nullable; named schemas are inlined by `operationsOf`).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema, Operation } from './openapi-operations.js';

const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormats(ajv);
const compiled = new WeakMap<JsonSchema, ReturnType<typeof ajv.compile>>();

/** The schema for a JSON answer of `op` with `status`, if the document declares one. */
export function responseSchema(op: Operation, status: number): JsonSchema | undefined {
  const byType = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`];
  return byType?.['application/json'];
}

/** Problems of `body` against `schema` (empty when it matches). */
export function schemaProblems(schema: JsonSchema, body: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
