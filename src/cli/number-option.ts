/**
 * @module cli/number-option
 * A numeric command-line option: undefined when absent, a clear `invalid_request` naming the flag
 * when it is not a number.
 */
import { KeelError } from '../core/errors.js';

export function numberOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed))
    throw new KeelError('invalid_request', `--${name} must be a number.`, {
      issues: [{ code: 'invalid_type', path: [name], message: 'expected a number' }],
    });
  return parsed;
}
