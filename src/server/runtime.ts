/**
 * @module server/runtime
 * Assembles one Keel instance from its configuration: the database (migrated), then the modules
 * of server/modules.ts in their order (audit, platform with the first-start bootstrap, guardrails,
 * jobs, models, rag, prompts). `keel serve`, the CLI's in-process mode and the tests all start
 * Keel through here, and `close()` shuts it down in reverse (jobs stopped first, models unloaded,
 * usage flushed, audit written, database closed).
 */
import { readFileSync } from 'node:fs';
import type { KeelConfig } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { KeelMetrics } from '../core/metrics.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { ProviderV1 } from '../spec/provider.js';
import { changeFeed } from '../storage/core/cache-invalidation.js';
import { openDatabase } from '../storage/index.js';
import type { KeelServices } from './context.js';
import { keelModules, type ModulesApi } from './modules.js';

export interface RuntimeOptions {
  logger?: Logger;
  /** Use this database instead of opening the configured one (tests). */
  db?: DatabaseV1;
  /** Providers to register; by default they are built from the configuration. */
  providers?: ProviderV1[];
  /** Collect Node process metrics (off in tests: they are global). */
  processMetrics?: boolean;
}

export interface KeelRuntime {
  services: KeelServices;
  close(): Promise<void>;
}

export const keelVersion: string = (() => {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version;
  } catch {
    return '0.0.0';
  }
})();

export async function createRuntime(config: KeelConfig, options: RuntimeOptions = {}): Promise<KeelRuntime> {
  const logger = options.logger ?? createLogger(config.logging.level);
  const db = options.db ?? (await openDatabase({ url: config.database.url, dataDir: config.dataDir }));
  const metrics = new KeelMetrics({ defaultMetrics: options.processMetrics ?? true });
  const base: ModuleBase = { config, db, logger, metrics, version: keelVersion };
  // Each module's `create` receives the base and everything the modules before it built.
  const built: Record<string, unknown> = { ...base, providerOverride: options.providers };
  const created: { module: KeelModule<never, object>; api: object }[] = [];
  // Stops, then closes, the modules created so far, in reverse order.
  const shutdown = async () => {
    for (const { module, api } of [...created].reverse()) await module.stop?.(api as never);
    for (const { module, api } of [...created].reverse()) await module.close?.(api as never);
  };
  try {
    for (const module of keelModules) {
      const api: object = await (module as KeelModule<unknown, object>).create(built);
      created.push({ module: module as KeelModule<never, object>, api });
      Object.assign(built, api);
    }
    delete built.providerOverride;
    const services: KeelServices = {
      ...(built as unknown as ModuleBase & ModulesApi),
      startedAt: new Date(),
    };
    // Cached keys and policies follow changes from every replica from here on.
    await changeFeed(db).ready();
    // Jobs a previous process left unfinished (ingestion, experiments, downloads) resume now.
    for (const { module, api } of created) await module.start?.(api as never);
    let closed = false;
    return {
      services,
      async close() {
        if (closed) return;
        closed = true;
        // Running jobs stop and go back to the queue first, to resume on the next start; the audit
        // log closes last of the modules, so whatever the others recorded while closing is written.
        await shutdown();
        if (!options.db) await db.close();
      },
    };
  } catch (error) {
    await shutdown().catch(() => {});
    if (!options.db) await db.close();
    throw error;
  }
}
