/**
 * @module bench/deployments/serve
 * The setting both deployment benchmarks run in (`run.ts`, `drift.ts`): a fake OpenAI upstream
 * (fixed reply, no delay) in its own process as provider `mock`, and Keel in this process on
 * embedded PGlite in a fresh data folder, authenticated with a bootstrap key, logging off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createApp } from '../../src/server/app.js';
import { listen } from '../../src/server/listen.js';
import { createRuntime } from '../../src/server/runtime.js';
import { startTsChild } from '../gateway/processes.js';

/** The bootstrap key requests authenticate with (`authorization: Bearer …`). */
export const benchKey = 'keel_bench_bootstrap_key_0123456789';

/** Starts the upstream and Keel; `close` stops both and removes the data folder. */
export async function serveOnFakeUpstream(name: string) {
  const upstream = await startTsChild<{ url: string }>('bench/gateway/upstream.ts');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `keel-bench-${name}-`));
  const config = loadConfig({
    env: {},
    cwd: dataDir,
    overrides: {
      dataDir,
      bootstrapKey: benchKey,
      logging: { level: 'silent' },
      providers: [{ type: 'openai-compatible', name: 'mock', baseURL: `${upstream.info.url}/v1` }],
    },
  });
  const runtime = await createRuntime(config, { logger: silentLogger, processMetrics: false });
  const server = await listen(createApp(runtime.services));
  return {
    url: server.url,
    services: runtime.services,
    async close(): Promise<void> {
      await server.close(100);
      await runtime.close();
      await upstream.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
