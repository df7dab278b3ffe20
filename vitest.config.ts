import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'web/**', 'test/browser/**'],
    setupFiles: ['test/setup/no-stray-output.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores in CI: PGlite and llama.cpp suites are heavy, so keep the worker count small.
    pool: 'forks',
    maxWorkers: process.env.CI ? 2 : 4,
  },
});
