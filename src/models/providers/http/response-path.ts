/**
 * @module models/providers/http/response-path
 * Reads a value out of an `http` provider's JSON answer by a path written in keel.yaml: dot
 * segments with optional `[index]`s, optionally starting with JSONPath's `$.` —
 * `outputs[0].text`, `$.result.choices.0.content`, `data["generated text"]`.
 */
import { KeelError } from '../../../core/errors.js';

const segmentPattern = /\[(\d+)\]|\["([^"]*)"\]|([^.[\]]+)/g;

/** The segments of a path; throws `invalid_config` for one that names nothing. */
export function parsePath(path: string, field: string, provider: string): (string | number)[] {
  const text = path.trim().replace(/^\$\.?/, '');
  const segments: (string | number)[] = [];
  for (const match of text.matchAll(segmentPattern)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(match[2]);
    else segments.push(/^\d+$/.test(match[3]!) ? Number(match[3]) : match[3]!);
  }
  if (segments.length === 0)
    throw new KeelError('invalid_config', `The response path of provider "${provider}" is empty.`, {
      issues: [{ code: 'invalid_response_path', path: ['response', field], message: 'name a field' }],
    });
  return segments;
}

/** The value at `segments`, or undefined when any step is missing. */
export function readPath(value: unknown, segments: readonly (string | number)[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number' && Array.isArray(current)) current = current[segment];
    else current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}
