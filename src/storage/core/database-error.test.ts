import { describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import { isConnectionError, translateDatabaseError } from './database-error.js';

function withCode(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('database errors: the database is away', () => {
  const away = [
    withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    withCode('ECONNRESET'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('57P03', 'the database system is starting up'),
    withCode('08006'),
    withCode('53300', 'sorry, too many clients already'),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated'),
    new Error('Client has encountered a connection error and is not queryable'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''),
  ];

  it.each(away.map((error) => [error.message || (error as { code?: string }).code, error]))(
    '%s is 503 service_unavailable',
    (_name, error) => {
      expect(isConnectionError(error)).toBe(true);
      const translated = translateDatabaseError(error) as KeelError;
      expect(translated).toBeInstanceOf(KeelError);
      expect(translated.code).toBe('service_unavailable');
      expect(translated.status).toBe(503);
      expect(translated.message).not.toMatch(/127\.0\.0\.1|5432/);
      expect(isConnectionError(translated)).toBe(true);
    },
  );

  it('leaves query mistakes and other errors as they were', () => {
    expect((translateDatabaseError(withCode('23505')) as KeelError).code).toBe('conflict');
    expect((translateDatabaseError(withCode('22021')) as KeelError).code).toBe('invalid_request');
    const syntax = withCode('42601', 'syntax error');
    expect(translateDatabaseError(syntax)).toBe(syntax);
    expect(isConnectionError(new Error('Connection refused by policy'))).toBe(false);
    expect(isConnectionError(new KeelError('service_unavailable', 'port in use'))).toBe(false);
  });
});
