import { describe, expect, it } from 'vitest';
import { errorCodes as sharedCodes } from '../api/error-codes.js';
import { errorCodes, exitCodeOf, httpStatusOf } from './codes.js';

describe('error codes', () => {
  it('are the one table the SDK reads too', () => {
    expect(errorCodes).toBe(sharedCodes);
  });

  it('map every code to an HTTP status and a CLI exit code', () => {
    for (const code of Object.keys(errorCodes) as (keyof typeof errorCodes)[]) {
      expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
      expect(exitCodeOf(code)).toBeGreaterThan(0);
    }
  });
});
