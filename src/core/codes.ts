/**
 * @module core/codes
 * The error-code table (`api/error-codes`, shared with the SDK) and its lookups for the server and
 * the CLI.
 */
import { type ErrorCode, errorCodes } from '../api/error-codes.js';

export { type ErrorCode, errorCodes, isErrorCode } from '../api/error-codes.js';

export function httpStatusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}

export function exitCodeOf(code: ErrorCode): number {
  return errorCodes[code].exit;
}
