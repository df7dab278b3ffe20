/**
 * @module server/validation-hook
 * What every route does with its validated input (the app's default hook): a schema failure
 * becomes a coded `invalid_request` with zod's issues; a valid input still may not carry U+0000
 * in a string (the database refuses it) nor nest deeper than any schema needs. Routes that must
 * act on a refused input first (governance audits forged authority fields) wrap it.
 */
import type { Hook } from '@hono/zod-openapi';
import { issuesFromZod, KeelError } from '../core/errors.js';
import type { KeelEnv } from './context.js';
import { nestingIssues, nulError, nulIssues } from './middleware/nul-characters.js';

export type ValidationResult = Parameters<Hook<unknown, KeelEnv, string, unknown>>[0];

export function validationHook(result: ValidationResult): void {
  if (!result.success) {
    const issues = issuesFromZod(result.error.issues);
    const where = issues[0]?.path.length ? ` at ${issues[0].path.join('.')}` : '';
    throw new KeelError(
      'invalid_request',
      `Invalid ${result.target}${where}: ${issues[0]?.message ?? 'invalid value'}`,
      {
        issues,
      },
    );
  }
  const nul = nulIssues(result.data);
  if (nul.length) throw nulError(result.target, nul);
  const deep = nestingIssues(result.data);
  if (deep.length)
    throw new KeelError('invalid_request', `Invalid ${result.target}: ${deep[0]!.message}.`, {
      issues: deep,
    });
}
