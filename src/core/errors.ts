/**
 * @module core/errors
 * One error class for everything Keel throws on purpose. Expected failures carry `issues[]`
 * (zod-shaped: code, path, message); unknown throws are normalised once by `toKeelError`.
 * Errors echo what the caller sent, so their size is bounded here, once, for every surface: at
 * most `MAX_ISSUES` issues (then one `too_many_issues` issue with the count), and every echoed
 * value — a word of a message, a path segment — cut to `MAX_ECHO` characters.
 */
import { type ErrorCode, httpStatusOf } from './codes.js';

export interface Issue {
  code: string;
  path: (string | number)[];
  message: string;
}

export interface KeelErrorOptions {
  cause?: unknown;
  data?: Record<string, unknown>;
  issues?: Issue[];
}

export class KeelError extends Error {
  override readonly name = 'KeelError';
  readonly code: ErrorCode;
  readonly data: Record<string, unknown> | undefined;
  readonly issues: Issue[] | undefined;

  constructor(code: ErrorCode, message: string, options: KeelErrorOptions = {}) {
    super(boundedMessage(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
    this.issues = options.issues ? boundedIssues(options.issues) : undefined;
  }

  get status(): number {
    return httpStatusOf(this.code);
  }

  /** The public shape of the error: never a stack, never the cause's internals. */
  toJSON(): { code: ErrorCode; message: string; issues?: Issue[]; data?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.data ? { data: this.data } : {}),
    };
  }
}

export function isKeelError(value: unknown): value is KeelError {
  return value instanceof KeelError;
}

/** Normalises anything thrown into a KeelError; unknown errors become `internal` with a generic message. */
export function toKeelError(error: unknown): KeelError {
  if (error instanceof KeelError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new KeelError('client_closed', 'The request was cancelled.', { cause: error });
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new KeelError('timeout', 'The operation timed out.', { cause: error });
  }
  return new KeelError('internal', 'An internal error occurred.', { cause: error });
}

/** Issues an error carries; the rest are counted in a last `too_many_issues` issue. */
export const MAX_ISSUES = 20;
/** Characters of one echoed value (a word of a message, a path segment, an unknown key). */
export const MAX_ECHO = 200;
/** Characters of a whole message. */
export const MAX_MESSAGE = 1000;
const MAX_PATH = 32;

/** Cuts `text` to `max` characters (never inside a surrogate pair), marking the cut. */
export function clipText(text: string, max: number = MAX_ECHO): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/** A message with every overlong word (an echoed value) cut, and the whole bounded. */
export function boundedMessage(message: string): string {
  if (message.length <= MAX_ECHO) return message;
  const words = message.replace(/\S{201,}/g, (word) => clipText(word));
  return clipText(words, MAX_MESSAGE);
}

function boundedIssue(issue: Issue): Issue {
  const path = issue.path
    .slice(0, MAX_PATH)
    .map((segment) => (typeof segment === 'string' ? clipText(segment) : segment));
  if (issue.path.length > MAX_PATH) path.push('…');
  return { code: clipText(String(issue.code)), path, message: boundedMessage(issue.message) };
}

/**
 * At most `MAX_ISSUES` issues, each bounded; a last `too_many_issues` issue says how many more of
 * the `total` there were. Bounding bounded issues changes nothing.
 */
export function boundedIssues(issues: readonly Issue[], total: number = issues.length): Issue[] {
  const last = issues[issues.length - 1];
  const counted = last?.code === 'too_many_issues' && issues.length <= MAX_ISSUES + 1;
  const kept = issues.slice(0, counted ? issues.length - 1 : MAX_ISSUES).map(boundedIssue);
  if (counted) kept.push(last);
  else if (total > MAX_ISSUES) {
    kept.push({ code: 'too_many_issues', path: [], message: `${total - MAX_ISSUES} more issues not shown.` });
  }
  return kept;
}

/** Converts zod issues (v4) to Keel issues, bounded (see `boundedIssues`). */
export function issuesFromZod(
  zodIssues: readonly { code: string; path: readonly PropertyKey[]; message: string; keys?: unknown }[],
): Issue[] {
  const converted: Issue[] = zodIssues.slice(0, MAX_ISSUES).map((issue) => ({
    code: issue.code,
    path: issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
    message: Array.isArray(issue.keys) ? unknownKeysMessage(issue.keys) : issue.message,
  }));
  return boundedIssues(converted, zodIssues.length);
}

/** Names a few unknown keys (each cut) and counts the others, instead of listing thousands. */
function unknownKeysMessage(keys: readonly unknown[]): string {
  const shown = keys.slice(0, 5).map((key) => JSON.stringify(clipText(String(key))));
  const more = keys.length > shown.length ? ` and ${keys.length - shown.length} more` : '';
  return `Unrecognized key${keys.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };
