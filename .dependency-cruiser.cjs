/**
 * Architectural boundaries, checked in `npm test` (lint step):
 * ports and core import no adapters, the SDK stands alone, modules meet only through each other's
 * index.ts, no cycles. The console's own boundary
 * (web/ imports only the SDK) is checked by test/browser/web-boundary.test.ts with web/tsconfig.json.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { pathNot: ['^src/spec/'] } },
    },
    {
      name: 'spec-is-pure',
      comment: 'Ports (src/spec) are types and contracts: they import only core and other ports.',
      severity: 'error',
      from: { path: '^src/spec/' },
      to: { path: '^src/', pathNot: ['^src/spec/', '^src/core/'] },
    },
    {
      name: 'core-imports-no-adapters',
      comment: 'Core may read the API schemas (the error-code table lives there, shared with the SDK).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/spec/', '^src/api/'] },
    },
    {
      name: 'sdk-is-standalone',
      comment: 'The SDK runs in browsers: it may use the API schemas, nothing of the server.',
      severity: 'error',
      from: { path: '^src/sdk/' },
      to: { path: '^src/', pathNot: ['^src/sdk/', '^src/api/'] },
    },
    {
      name: 'api-schemas-are-standalone',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/', pathNot: ['^src/api/'] },
    },
    {
      name: 'modules-meet-through-index',
      comment:
        'A module (audit, data, deployments, evals, governance, guardrails, jobs, models, platform, prompts, rag) reaches another only through ' +
        "that module's index.ts, its public API. Tests may reach further (fixtures, providers).",
      severity: 'error',
      from: {
        path: '^src/(audit|data|deployments|evals|governance|guardrails|jobs|models|platform|prompts|rag)/',
        pathNot: ['\\.test\\.tsx?$'],
      },
      to: {
        path: '^src/(audit|data|deployments|evals|governance|guardrails|jobs|models|platform|prompts|rag)/',
        pathNot: ['^src/$1/', '^src/(audit|data|deployments|evals|governance|guardrails|jobs|models|platform|prompts|rag)/index\\.ts$'],
      },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.tsx?$', '^src/testing/'] },
      to: { path: ['\\.test\\.tsx?$', '^test/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
