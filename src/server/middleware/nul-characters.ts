/**
 * @module server/middleware/nul-characters
 * U+0000 is refused at the edge. PostgreSQL cannot store it in text or jsonb (`invalid byte
 * sequence for encoding "UTF8": 0x00`), and no prompt, name or filter needs it. Two checks:
 * `rejectNulInUrl` for the path and query string of every request (one `includes` on the URL
 * when there is none), and `nulIssues` for validated JSON bodies, path and query values, called
 * from the app's validation hook so each issue names its field.
 */
import type { MiddlewareHandler } from 'hono';
import { type Issue, KeelError } from '../../core/errors.js';

const maxIssues = 20;
const message = 'must not contain the NUL character (U+0000)';

/**
 * Issues for every string (and object key) under `value` that holds U+0000, at most 20. Walks
 * plain objects and arrays only — what JSON parsing and zod produce.
 *
 * @example
 * nulIssues({ name: 'a\u0000b' }) // [{ code: 'invalid_characters', path: ['name'], … }]
 */
export function nulIssues(value: unknown): Issue[] {
  if (!containsNul(value)) return [];
  const issues: Issue[] = [];
  // Iterative, so a deeply nested body cannot overflow the stack.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length && issues.length < maxIssues) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) issues.push({ code: 'invalid_characters', path, message });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
    } else if (current !== null && typeof current === 'object') {
      if (!isPlainObject(current)) continue;
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (key.includes('\u0000')) {
          issues.push({
            code: 'invalid_characters',
            path: [...path, key.replaceAll('\u0000', '\\u0000')],
            message,
          });
        } else stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return issues;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The fast pass, run on every validated value: no paths built. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return true;
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (current !== null && typeof current === 'object' && isPlainObject(current)) {
      for (const key in current) {
        if (key.includes('\u0000')) return true;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/** How deep a request value may nest: no schema of Keel's goes near it, and recursive work on a
 * value (rendering, sealing, JSON text) must not meet a stack it cannot fit. */
export const MAX_NESTING = 64;

/**
 * An issue when `value` nests arrays or objects deeper than MAX_NESTING (walked iteratively), with
 * the path to the first place it does.
 */
export function nestingIssues(value: unknown): Issue[] {
  if (value === null || typeof value !== 'object') return [];
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_NESTING)
      return [
        {
          code: 'too_deep',
          path: [],
          message: `nests arrays or objects more than ${MAX_NESTING} levels deep`,
        },
      ];
    if (Array.isArray(current)) {
      for (const item of current) {
        if (item === null || typeof item !== 'object') continue;
        values.push(item);
        depths.push(depth + 1);
      }
    } else if (isPlainObject(current)) {
      for (const key in current) {
        const child = (current as Record<string, unknown>)[key];
        if (child === null || typeof child !== 'object') continue;
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return [];
}

/** The error for NUL characters found in `target` (`json`, `query`, `param`, `path`). */
export function nulError(target: string, issues: Issue[]): KeelError {
  const where = issues[0]?.path.length ? ` at ${issues[0].path.join('.')}` : '';
  return new KeelError('invalid_request', `Invalid ${target}${where}: ${message}.`, { issues });
}

/** Refuses a request whose path or query string carries `%00` (or a raw NUL). */
export function rejectNulInUrl(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    if (!url.includes('%00') && !url.includes('\u0000')) return next();
    const parsed = new URL(url);
    const issues: Issue[] = [];
    if (parsed.pathname.includes('%00') || parsed.pathname.includes('\u0000')) {
      issues.push({ code: 'invalid_characters', path: ['path'], message });
    }
    for (const [name, value] of parsed.searchParams) {
      if (issues.length >= maxIssues) break;
      if (name.includes('\u0000') || value.includes('\u0000')) {
        issues.push({ code: 'invalid_characters', path: [name.replaceAll('\u0000', '\\u0000')], message });
      }
    }
    // `%2500` decodes to the text "%00", not to NUL: such a URL is fine.
    if (!issues.length) return next();
    throw nulError(issues[0]!.path[0] === 'path' ? 'path' : 'query', issues);
  };
}
