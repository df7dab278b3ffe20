import { KeelError } from '../../core/errors.js';

/** PostgreSQL SQLSTATE codes that callers handle as expected outcomes. */
const sqlStateToCode = {
  '23505': 'conflict', // unique_violation
  '23503': 'conflict', // foreign_key_violation
  '40001': 'conflict', // serialization_failure
  '22P02': 'invalid_request', // invalid_text_representation
  '57014': 'timeout', // query_canceled
} as const;

/**
 * Maps engine errors to KeelError. The SQL text and parameters are never put into the message:
 * they can hold user data.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof KeelError) return error;
  const sqlState = (error as { code?: unknown })?.code;
  if (typeof sqlState === 'string' && sqlState in sqlStateToCode) {
    const code = sqlStateToCode[sqlState as keyof typeof sqlStateToCode];
    const constraint = (error as { constraint?: unknown }).constraint;
    return new KeelError(
      code,
      code === 'conflict' ? 'The record conflicts with an existing one.' : 'The database refused the value.',
      {
        cause: error,
        data: { sqlState, ...(typeof constraint === 'string' ? { constraint } : {}) },
      },
    );
  }
  return error;
}

/** True when the error is a unique violation (possibly already translated). */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof KeelError) return error.data?.sqlState === '23505';
  return (error as { code?: unknown })?.code === '23505';
}
