/**
 * @module sdk/errors
 * What the SDK throws: the server's error, with its code, HTTP status and issues. The codes are
 * the server's own table (`api/error-codes`); a code outside it (a proxy's answer, a dropped
 * connection) reads as `http_error`.
 */
import { type ErrorCode, isErrorCode } from '../api/error-codes.js';

export type { ErrorCode };
/** One of Keel's codes, or `http_error` when the answer was not Keel's. */
export type ApiErrorCode = ErrorCode | 'http_error';

export interface ApiIssue {
  code: string;
  path: (string | number)[];
  message: string;
}

export class KeelApiError extends Error {
  override readonly name = 'KeelApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Reads any of Keel's three error shapes (Keel, OpenAI, watsonx). */
export async function errorFromResponse(response: Response): Promise<KeelApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page, a dropped connection): keep the status.
  }
  const keel = body.error as
    | { code?: string; message?: string; issues?: ApiIssue[]; data?: Record<string, unknown> }
    | undefined;
  if (keel?.message)
    return new KeelApiError(
      response.status,
      codeOf(keel.code, response.status),
      keel.message,
      keel.issues ?? [],
      keel.data ?? {},
    );
  const watsonx = body.errors as { code: string; message: string }[] | undefined;
  if (watsonx?.[0])
    return new KeelApiError(
      response.status,
      codeOf(watsonx[0].code, response.status),
      watsonx[0].message,
      (body.issues as ApiIssue[]) ?? [],
    );
  return new KeelApiError(
    response.status,
    codeOf(undefined, response.status),
    `HTTP ${response.status} ${response.statusText}`,
  );
}

/** A code from the wire as one of Keel's; anything else reads by its status. */
export function codeOf(code: string | undefined, status: number): ApiErrorCode {
  if (code && isErrorCode(code)) return code;
  return status === 401 ? 'unauthorized' : 'http_error';
}
