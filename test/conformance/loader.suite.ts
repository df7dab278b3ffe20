/**
 * The loader conformance suite: every loader turns its format into text with structure
 * (headings, Markdown tables, pages) and fails on bad input with a coded error.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedDocument, LoaderInput, LoadOptions } from '../../src/spec/loader.js';

export interface LoaderCase {
  name: string;
  input: () => LoaderInput;
  check: (document: LoadedDocument) => void;
}

export interface BadInputCase {
  name: string;
  input: () => LoaderInput;
  options?: LoadOptions;
  code: string;
  message: RegExp;
}

export function runLoaderSuite(
  name: string,
  load: (input: LoaderInput, options?: LoadOptions) => Promise<LoadedDocument>,
  cases: LoaderCase[],
  bad: BadInputCase[],
): void {
  describe(`loader conformance: ${name}`, () => {
    for (const testCase of cases) {
      it(`loads ${testCase.name}`, async () => {
        const document = await load(testCase.input());
        expect(document.text.trim().length).toBeGreaterThan(0);
        for (const page of document.pages ?? []) expect(page.end).toBeLessThanOrEqual(document.text.length);
        for (const block of document.blocks ?? []) {
          expect(block.start).toBeGreaterThanOrEqual(0);
          expect(block.end).toBeLessThanOrEqual(document.text.length);
        }
        testCase.check(document);
      });
    }
    for (const testCase of bad) {
      it(`refuses ${testCase.name} with ${testCase.code}`, async () => {
        await expect(load(testCase.input(), testCase.options)).rejects.toMatchObject({
          code: testCase.code,
          message: expect.stringMatching(testCase.message),
        });
      });
    }
  });
}
