/**
 * The console reaches Keel only through the SDK: web/ may import `src/sdk` (values) and `src/api`
 * (types only, so no zod schemas land in the bundle), nothing else from `src/`; and the SDK itself
 * stays within `src/sdk` and `src/api` types. Checked with dependency-cruiser over the real
 * module graph (the Vite aliases resolve through web/tsconfig.json's paths).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('web console boundary', () => {
  it('imports nothing from src/ but the SDK and API types', async () => {
    const tsConfigFile = path.join(root, 'web', 'tsconfig.json');
    const result = await cruise(
      ['web/src'],
      {
        baseDir: root,
        validate: true,
        tsPreCompilationDeps: true,
        tsConfig: { fileName: tsConfigFile },
        doNotFollow: { path: 'node_modules' },
        ruleSet: {
          forbidden: [
            {
              name: 'web-only-through-sdk',
              comment: 'web/ talks to Keel through src/sdk; src/api only for types',
              severity: 'error',
              from: { path: '^web/src' },
              to: { path: '^src/', pathNot: '^src/(sdk|api)/' },
            },
            {
              name: 'web-api-types-only',
              severity: 'error',
              from: { path: '^web/src' },
              to: { path: '^src/api/', dependencyTypesNot: ['type-only'] },
            },
            {
              name: 'sdk-self-contained',
              severity: 'error',
              from: { path: '^src/sdk/' },
              to: { path: '^src/', pathNot: '^src/(sdk|api)/' },
            },
            {
              name: 'sdk-api-types-only',
              severity: 'error',
              from: { path: '^src/sdk/' },
              // The error-code table and the few-shot limits are plain data (no schemas): the SDK may read their values.
              to: {
                path: '^src/api/',
                pathNot: '^src/api/(error-codes|few-shot-limits)\\.ts$',
                dependencyTypesNot: ['type-only'],
              },
            },
          ],
        },
      },
      {},
      { tsConfig: extractTSConfig(tsConfigFile) },
    );
    const output = result.output as ICruiseResult;
    const reached = output.modules.map((module) => module.source);
    // The graph really went through the alias into the SDK (a broken resolution would pass vacuously).
    expect(reached).toContain('src/sdk/client.ts');
    expect(reached.filter((source) => source.startsWith('web/src/')).length).toBeGreaterThan(20);
    const violations = output.summary.violations.map(
      (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
    );
    expect(violations).toEqual([]);
  });
});
