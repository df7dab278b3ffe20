/**
 * Keel as `npm start` runs it: the built server from dist/ (plain JavaScript, no TypeScript loader),
 * embedded PGlite in a temporary data directory, an `openai-compatible` provider pointing at the
 * fake upstream, authentication and usage metering on, logging off — and the tiny GGUF in its
 * models directory for the llama.cpp figures. bench/gateway/run.ts builds dist/ first when stale.
 *
 * Usage: node bench/gateway/keel-server.mjs <upstream base URL> <bootstrap key>
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../dist/core/config.js';
import { ensureTinyGguf } from '../../dist/testing/tiny-gguf.js';
import { serveKeel } from './serve-keel.mjs';

const [upstreamUrl, bootstrapKey] = process.argv.slice(2);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-'));
await ensureTinyGguf(path.join(dataDir, 'models'), { fileName: 'tiny.gguf' });
const config = loadConfig({
  env: {},
  cwd: dataDir,
  overrides: {
    dataDir,
    bootstrapKey,
    logging: { level: 'silent' },
    llamacpp: { threads: 1, contextSize: 2048 },
    providers: [{ type: 'openai-compatible', name: 'mock', baseURL: `${upstreamUrl}/v1` }],
  },
});
await serveKeel(config);
