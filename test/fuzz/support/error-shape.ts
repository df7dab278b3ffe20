/**
 * @module test/fuzz/support/error-shape
 * Whether an error answer has the shape its route family promises (server/errors.ts): Keel
 * `{ error: { code, message } }`, OpenAI `{ error: { type, code, message } }`, watsonx
 * `{ errors: [{ code, message }], trace, status_code }` — with a stable, snake_case code; the MCP
 * endpoint's transport answers JSON-RPC `{ jsonrpc: '2.0', error: { code: integer, message } }`.
 */
import type { Family } from './openapi-operations.js';

const stableCode = /^[a-z][a-z0-9_]*$/;

/** The problem with `body` as an error of `family` answered with `status`, or undefined. */
export function errorShapeProblem(family: Family, status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return 'the error body is not a JSON object';
  const record = body as Record<string, unknown>;
  if (family === 'jsonrpc') {
    // The MCP transport's own refusals are JSON-RPC errors; Keel's (keys, permissions) are Keel's.
    if (record.jsonrpc === undefined) return errorShapeProblem('keel', status, body);
    const error = record.error as Record<string, unknown> | undefined;
    if (record.jsonrpc !== '2.0' || !error || typeof error !== 'object')
      return 'JSON-RPC error without error';
    if (!Number.isInteger(error.code)) return `JSON-RPC error.code ${String(error.code)}`;
    if (typeof error.message !== 'string') return 'JSON-RPC error.message is not a string';
    return undefined;
  }
  if (family === 'watsonx') {
    const first = Array.isArray(record.errors)
      ? (record.errors[0] as Record<string, unknown> | undefined)
      : undefined;
    if (!first) return 'watsonx error without errors[0]';
    if (typeof first.code !== 'string' || !stableCode.test(first.code))
      return `watsonx errors[0].code ${String(first.code)}`;
    if (typeof first.message !== 'string') return 'watsonx errors[0].message is not a string';
    if (typeof record.trace !== 'string') return 'watsonx error without trace';
    if (record.status_code !== status)
      return `watsonx status_code ${String(record.status_code)} for HTTP ${status}`;
    return undefined;
  }
  const error = record.error as Record<string, unknown> | undefined;
  if (!error || typeof error !== 'object') return `${family} error without an error object`;
  if (typeof error.code !== 'string' || !stableCode.test(error.code))
    return `${family} error.code ${String(error.code)}`;
  if (typeof error.message !== 'string') return `${family} error.message is not a string`;
  if (family === 'openai' && typeof error.type !== 'string') return 'openai error without type';
  return undefined;
}
