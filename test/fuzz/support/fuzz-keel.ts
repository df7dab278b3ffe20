/**
 * @module test/fuzz/support/fuzz-keel
 * A whole Keel instance for the fuzz suites: like `createTestKeel`, but its logger writes JSON
 * lines into a buffer the suites read (to prove no secret or PII reaches the log), and it can put
 * the same app on a real socket (for the concurrent `/health` stall probe).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { loadConfig } from '../../../src/core/config.js';
import { createLogger } from '../../../src/core/logger.js';
import { createApp } from '../../../src/server/app.js';
import type { KeelEnv, KeelServices } from '../../../src/server/context.js';
import { type ListeningServer, listen } from '../../../src/server/listen.js';
import { createRuntime } from '../../../src/server/runtime.js';
import { createTestDatabase } from '../../../src/testing/database.js';
import { createEchoProvider } from '../../../src/testing/echo-provider.js';
import { TEST_ADMIN_KEY } from '../../../src/testing/test-keel.js';

export { TEST_ADMIN_KEY };

/** The request body limit of fuzz instances: small, so "huge" bodies stay cheap to build. */
export const FUZZ_BODY_LIMIT = 256 * 1024;

export interface FuzzKeel {
  app: OpenAPIHono<KeelEnv>;
  services: KeelServices;
  /** Everything the logger wrote so far, one JSON line per entry. */
  logText(): string;
  /** The same app on 127.0.0.1, port 0. */
  listen(): Promise<ListeningServer>;
  close(): Promise<void>;
}

export async function createFuzzKeel(): Promise<FuzzKeel> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-fuzz-'));
  const config = loadConfig({
    env: {},
    cwd: dataDir,
    overrides: {
      dataDir,
      bootstrapKey: TEST_ADMIN_KEY,
      logging: { level: 'debug' },
      usage: { flushIntervalMs: 50 },
      server: { bodyLimit: FUZZ_BODY_LIMIT },
    },
  });
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const db = await createTestDatabase();
  const runtime = await createRuntime(config, {
    db,
    logger: createLogger('debug', sink),
    providers: [createEchoProvider()],
    processMetrics: false,
  });
  const app = createApp(runtime.services);
  const servers: ListeningServer[] = [];
  return {
    app,
    services: runtime.services,
    logText: () => chunks.join(''),
    async listen() {
      const server = await listen(app);
      servers.push(server);
      return server;
    },
    async close() {
      for (const server of servers) await server.close(100);
      await runtime.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
