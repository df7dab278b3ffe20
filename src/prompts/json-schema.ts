/**
 * @module prompts/json-schema
 * JSON Schema checks with Ajv: whether a template's output schema is itself a valid schema
 * (draft 2020-12 by default, draft-07 when its `$schema` says so), and whether a model's output
 * matches it. Compiled validators are cached by the schema's text; each schema gets its own Ajv
 * instance so two schemas with the same `$id` cannot collide.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Issue } from '../core/errors.js';
import type { JSONSchema } from '../spec/json-schema.js';

const addFormats = addFormatsModule.default;
const CACHE_SIZE = 200;
const cache = new Map<string, { validate?: ValidateFunction; issues: Issue[] }>();

function ajvFor(schema: JSONSchema): Ajv | Ajv2020 | undefined {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : undefined;
  // strict: false accepts vendor keywords (x-…, "example") that schemas written for other tools carry.
  const options = { allErrors: true, strict: false, logger: false as const };
  const ajv =
    !dialect || dialect.includes('2020-12')
      ? new Ajv2020(options)
      : dialect.includes('draft-07') || dialect.includes('draft-06')
        ? new Ajv(options)
        : undefined;
  if (ajv) addFormats(ajv);
  return ajv;
}

function compile(schema: JSONSchema): { validate?: ValidateFunction; issues: Issue[] } {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let entry: { validate?: ValidateFunction; issues: Issue[] };
  const ajv = ajvFor(schema);
  if (!ajv) {
    entry = {
      issues: [
        { code: 'unsupported_dialect', path: ['$schema'], message: 'use JSON Schema 2020-12 or draft-07' },
      ],
    };
  } else if (!ajv.validateSchema(schema)) {
    entry = { issues: issuesFromAjv(ajv.errors ?? []) };
  } else {
    try {
      entry = { validate: ajv.compile(schema), issues: [] };
    } catch (error) {
      // Unresolvable $ref and the like: valid shape, unusable schema.
      entry = { issues: [{ code: 'invalid_schema', path: [], message: (error as Error).message }] };
    }
  }
  cache.set(key, entry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return entry;
}

/** Issues that make `schema` unusable as a JSON Schema; empty when it is fine. */
export function schemaIssues(schema: JSONSchema): Issue[] {
  return compile(schema).issues;
}

/** Where `value` breaks `schema`; empty when it matches. The schema must have passed `schemaIssues`. */
export function validateAgainst(schema: JSONSchema, value: unknown): Issue[] {
  const { validate, issues } = compile(schema);
  if (!validate) return issues;
  return validate(value) ? [] : issuesFromAjv(validate.errors ?? []);
}

/** Ajv errors → Keel issues, with the offending property in the path (Ajv reports its parent). */
export function issuesFromAjv(errors: readonly ErrorObject[]): Issue[] {
  return errors.map((error) => {
    const path: (string | number)[] = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    const params = error.params as Record<string, unknown>;
    if (typeof params.missingProperty === 'string') path.push(params.missingProperty);
    if (typeof params.additionalProperty === 'string') path.push(params.additionalProperty);
    let message = error.message ?? error.keyword;
    if (Array.isArray(params.allowedValues))
      message += `: ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
    return { code: error.keyword, path, message };
  });
}
