import { KeelError } from '../../core/errors.js';

/** PostgreSQL SQLSTATE codes that callers handle as expected outcomes. */
const sqlStateToCode = {
  '23505': 'conflict', // unique_violation
  '23503': 'conflict', // foreign_key_violation
  '40001': 'conflict', // serialization_failure
  '22P02': 'invalid_request', // invalid_text_representation
  '22021': 'invalid_request', // character_not_in_repertoire (a NUL byte in text)
  '22P05': 'invalid_request', // untranslatable_character (\u0000 in jsonb)
  '22007': 'invalid_request', // invalid_datetime_format
  '22008': 'invalid_request', // datetime_field_overflow (year 0000, month 13 …)
  '22003': 'invalid_request', // numeric_value_out_of_range
  '57014': 'timeout', // query_canceled
} as const;

// Backstops for values the edge should have refused already; the message names the kind of value.
const valueMessages: Record<string, string> = {
  '22021': 'The database refused a text value: it contains a NUL character (U+0000) or invalid UTF-8.',
  '22P05': 'The database refused a JSON value: it contains a NUL character (U+0000).',
  '22007': 'The database refused a date or time value: it is not a valid date.',
  '22008': 'The database refused a date or time value: it is out of range.',
  '22003': 'The database refused a number: it is out of range.',
};

// The database is away (restarting, failing over, out of connections): 503, retried by callers.
const connectionStates = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
]);
const socketErrors = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// What `pg` and `pg-pool` throw, without a code, when a connection ends under them.
const connectionMessages =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

/** True when the error says the database cannot be reached now (not that the query was wrong). */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof KeelError)
    return error.code === 'service_unavailable' && error.data?.database === true;
  const code = (error as { code?: unknown })?.code;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || connectionStates.has(code) || socketErrors.has(code))
  )
    return true;
  // Node wraps several address attempts (IPv4 and IPv6) in one AggregateError.
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' && connectionMessages.test(message);
}

/**
 * Maps engine errors to KeelError. The SQL text and parameters are never put into the message:
 * they can hold user data.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof KeelError) return error;
  if (isConnectionError(error)) {
    const code = (error as { code?: unknown })?.code;
    return new KeelError('service_unavailable', 'The database is unavailable; try again shortly.', {
      cause: error,
      data: { database: true, ...(typeof code === 'string' ? { reason: code } : {}) },
    });
  }
  const sqlState = (error as { code?: unknown })?.code;
  if (typeof sqlState === 'string' && sqlState in sqlStateToCode) {
    const code = sqlStateToCode[sqlState as keyof typeof sqlStateToCode];
    const constraint = (error as { constraint?: unknown }).constraint;
    return new KeelError(
      code,
      code === 'conflict'
        ? 'The record conflicts with an existing one.'
        : (valueMessages[sqlState] ?? 'The database refused the value.'),
      {
        cause: error,
        data: { sqlState, ...(typeof constraint === 'string' ? { constraint } : {}) },
      },
    );
  }
  return error;
}

function sqlStateOf(error: unknown): unknown {
  return error instanceof KeelError ? error.data?.sqlState : (error as { code?: unknown })?.code;
}

/** True when the error is a unique violation (possibly already translated). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}

/** True when the error is a foreign key violation (a row naming one that does not exist). */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23503';
}
