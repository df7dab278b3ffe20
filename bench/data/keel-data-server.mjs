/**
 * Keel as `npm start` runs it, for bench/data's API rows: the built server from dist/ (plain
 * JavaScript), embedded PGlite in a temporary data directory, logging off, the benchmark's Parquet
 * file's folder allowed as a local root and the file added to the default project as `points`.
 * It runs in its own process, so the benchmark calls it as any client does (bench/gateway's
 * `keel` target works the same way). bench/data/overhead.ts builds dist/ first when stale.
 *
 * Usage: node bench/data/keel-data-server.mjs <parquet file> <bootstrap key>
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../dist/core/config.js';
import { serveKeel } from '../gateway/serve-keel.mjs';

const [file, bootstrapKey] = process.argv.slice(2);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-data-server-'));
const config = loadConfig({
  env: {},
  cwd: dataDir,
  overrides: {
    dataDir,
    bootstrapKey,
    logging: { level: 'silent' },
    data: { localRoots: [path.dirname(file)] },
  },
});
await serveKeel(config, {
  prepare: (services) =>
    services.data.add(services.installation.defaultProjectId, { name: 'points', localPath: file }),
  cleanUp: () => rm(dataDir, { recursive: true, force: true }),
});
