#!/usr/bin/env node
// The whole test suite, in the order CI runs it: format and lint, types, unit and conformance
// tests, build, browser tests. Stops at the first failing step.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const steps = [
  ['format and lint', bin('biome'), ['ci', '.']],
  ['architecture boundaries', bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs']],
  ['types', 'npm', ['run', '--silent', 'typecheck']],
  ['unit and conformance tests', bin('vitest'), ['run']],
  ['build', process.execPath, ['scripts/build.mjs']],
  ['browser tests', bin('vitest'), ['run', '--config', 'vitest.browser.config.ts']],
];

for (const [name, command, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds} s)`);
}
console.log('\nAll checks passed.');
