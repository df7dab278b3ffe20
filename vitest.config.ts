import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'web/**', 'test/browser/**'],
    setupFiles: ['test/setup/no-stray-output.ts'],
    // Whole-runtime tests (CLI local mode opens the data directory and every module per command)
    // run several steps each; on two busy cores they need more than a unit test does.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // Two cores in CI: PGlite and llama.cpp suites are heavy, so keep the worker count small.
    pool: 'forks',
    maxWorkers: process.env.CI ? 2 : 4,
  },
});
