/**
 * A test fails when the code under test writes to the console: libraries must report through
 * return values, errors and the injected logger, never stray output.
 */
import { afterEach, beforeEach, expect, vi } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let calls: string[] = [];

beforeEach(() => {
  calls = [];
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      calls.push(
        `console.${method}: ${args
          .map((arg) => (typeof arg === 'string' ? arg : String(arg)))
          .join(' ')
          .slice(0, 300)}`,
      );
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  expect(calls, 'stray console output').toEqual([]);
});
