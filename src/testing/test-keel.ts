/**
 * @module testing/test-keel
 * A whole Keel instance for tests: in-memory PGlite (migrated), the given providers, a known
 * admin key, and the HTTP app to call in memory with `app.request()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type KeelConfig, type KeelConfigInput, loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { type CreateAppOptions, createApp } from '../server/app.js';
import type { KeelEnv, KeelServices } from '../server/context.js';
import { createRuntime } from '../server/runtime.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { ProviderV1 } from '../spec/provider.js';
import { createTestDatabase } from './database.js';
import { createEchoProvider } from './echo-provider.js';

export const TEST_ADMIN_KEY = 'keel_test_admin_key_0123456789abcdef';

export interface TestKeel {
  app: OpenAPIHono<KeelEnv>;
  services: KeelServices;
  config: KeelConfig;
  adminKey: string;
  dataDir: string;
  /** `fetch`-like call into the app with the admin key (or another) as bearer. */
  call(pathname: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestKeel(
  options: {
    providers?: ProviderV1[] | ((config: KeelConfig) => ProviderV1[]);
    config?: KeelConfigInput;
    app?: CreateAppOptions;
    /** A database of the caller's, left open by `close()` (two instances on one are two replicas). */
    db?: DatabaseV1;
  } = {},
): Promise<TestKeel> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-test-'));
  const config = loadConfig({
    env: {},
    cwd: dataDir,
    overrides: {
      dataDir,
      bootstrapKey: TEST_ADMIN_KEY,
      logging: { level: 'silent' },
      usage: { flushIntervalMs: 50 },
      ...options.config,
    },
  });
  const db = options.db ?? (await createTestDatabase());
  const runtime = await createRuntime(config, {
    db,
    logger: silentLogger,
    providers:
      typeof options.providers === 'function'
        ? options.providers(config)
        : (options.providers ?? [createEchoProvider()]),
    processMetrics: false,
  });
  const app = createApp(runtime.services, options.app);
  return {
    app,
    services: runtime.services,
    config,
    adminKey: TEST_ADMIN_KEY,
    dataDir,
    async call(pathname, init = {}) {
      const { key = TEST_ADMIN_KEY, json, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (key) merged.set('authorization', `Bearer ${key}`);
      if (json !== undefined) merged.set('content-type', 'application/json');
      return app.request(pathname, {
        ...rest,
        headers: merged,
        ...(json !== undefined ? { method: rest.method ?? 'POST', body: JSON.stringify(json) } : {}),
      });
    },
    async close() {
      await runtime.close();
      if (!options.db) await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
