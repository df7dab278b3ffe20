/** Turns anything thrown by the SDK (or the browser under it) into what an error notice shows. */
import { KeelApiError } from '@keel/sdk';

export interface ShownError {
  message: string;
  code: string;
  status: number;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function describeError(error: unknown): ShownError {
  if (error instanceof KeelApiError)
    return { message: error.message, code: error.code, status: error.status };
  // A stream cut mid-body surfaces as the browser's own TypeError ("network error", "Failed to fetch").
  if (error instanceof TypeError) return { message: error.message, code: 'network_error', status: 0 };
  if (error instanceof Error) return { message: error.message, code: 'error', status: 0 };
  return { message: String(error), code: 'error', status: 0 };
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KeelApiError && error.status === 404;
}
