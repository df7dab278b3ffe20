/**
 * @module audit/canonical-json
 * Canonical JSON in the manner of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. The same value
 * always gives the same text, so its SHA-256 digest can stand for a state without storing it.
 * Differences from JCS, for values JSON cannot hold: `undefined` members are left out (as
 * JSON.stringify does), non-finite numbers become null, bigints become strings, `toJSON` is
 * honoured (Dates give their ISO text).
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  const text = write(value, 0);
  return text === undefined ? 'null' : text;
}

/** SHA-256 (hex) of the canonical JSON of `value`; null stays null (no state). */
export function digestOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

const MAX_DEPTH = 64;

function write(value: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) throw new TypeError('canonicalJson: value nested too deeply');
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  // Bytes as base64 (before toJSON: a Buffer's toJSON lists every byte).
  if (ArrayBuffer.isView(value)) {
    return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), depth + 1);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index) out += ',';
      out += write(value[index], depth + 1) ?? 'null';
    }
    return `${out}]`;
  }
  if (value instanceof Map) return write(Object.fromEntries(value), depth + 1);
  if (value instanceof Set) return write([...value], depth + 1);
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is what JCS asks for.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = write(record[key], depth + 1);
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${member}`;
  }
  return `${out}}`;
}
