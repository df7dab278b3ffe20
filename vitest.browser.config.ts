// Browser tests: real Chromium (Debian's, via playwright-core) against a real `keel serve` child
// process. They run in Node, one file at a time (each starts its own server and browser).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // The page polls the server (token counts, job progress): give a loaded machine time.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
