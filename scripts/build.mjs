#!/usr/bin/env node
// Builds Keel: TypeScript → dist/, the SQL migrations beside it, and the web console → web/dist/.
// `--if-needed` skips the build when dist/ is newer than every source file (fast `npm start`).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ifNeeded = process.argv.includes('--if-needed');

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const stamp = path.join(root, 'dist', 'cli', 'main.js');
const consoleStamp = path.join(root, 'web', 'dist', 'index.html');
const hasWeb = existsSync(path.join(root, 'web', 'index.html'));
if (ifNeeded && existsSync(stamp) && (!hasWeb || existsSync(consoleStamp))) {
  const built = Math.min(statSync(stamp).mtimeMs, hasWeb ? statSync(consoleStamp).mtimeMs : Number.POSITIVE_INFINITY);
  const sources = Math.max(newest(path.join(root, 'src')), hasWeb ? newest(path.join(root, 'web', 'src')) : 0);
  if (built >= sources) process.exit(0);
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

console.log('Building the server (TypeScript → dist/)…');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
cpSync(path.join(root, 'src', 'storage', 'migrations'), path.join(root, 'dist', 'storage', 'migrations'), { recursive: true });
cpSync(path.join(root, 'src', 'storage', 'pglite-worker', 'worker.mjs'), path.join(root, 'dist', 'storage', 'pglite-worker', 'worker.mjs'));
for (const dir of ['src/guardrails/lexicons', 'src/models/catalog-data']) {
  if (existsSync(path.join(root, dir))) cpSync(path.join(root, dir), path.join(root, dir.replace(/^src/, 'dist')), { recursive: true });
}
if (hasWeb) {
  console.log('Building the web console (Vite → web/dist/)…');
  run(bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
}
console.log('Build complete.');
