/**
 * @module core/errors
 * One error class for everything Keel throws on purpose. Expected failures carry `issues[]`
 * (zod-shaped: code, path, message); unknown throws are normalised once by `toKeelError`.
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
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
    this.issues = options.issues;
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

/** Converts zod issues (v4) to Keel issues. */
export function issuesFromZod(
  zodIssues: readonly { code: string; path: readonly PropertyKey[]; message: string }[],
): Issue[] {
  return zodIssues.map((issue) => ({
    code: issue.code,
    path: issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
    message: issue.message,
  }));
}

export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };
