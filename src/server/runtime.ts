/**
 * @module server/runtime
 * Assembles one Keel instance from its configuration: database (migrated), first-start
 * bootstrap, services, model providers. `keel serve`, the CLI's in-process mode and the tests all
 * start Keel through here, and `close()` shuts it down in order (usage flushed, models unloaded,
 * database closed).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AuditLog } from '../audit/index.js';
import type { KeelConfig } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { KeelMetrics } from '../core/metrics.js';
import { loadSecretKey } from '../core/secret-key.js';
import { GuardrailService } from '../guardrails/guardrail-service.js';
import { JobService } from '../jobs/index.js';
import { GenerationService } from '../models/generation-service.js';
import { OtlpExporter, standardMiddleware } from '../models/middleware/index.js';
import { ProviderRegistry } from '../models/provider-registry.js';
import { PullService } from '../models/pull-jobs.js';
import { ApiKeyService } from '../platform/api-keys.js';
import { ensureInstallation } from '../platform/bootstrap.js';
import { ProjectService } from '../platform/projects.js';
import { UsageMeter } from '../platform/usage-meter.js';
import { UserService } from '../platform/users.js';
import { RagService } from '../rag/collections/rag-service.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { DetectorV1 } from '../spec/detector.js';
import type { ProviderV1 } from '../spec/provider.js';
import { changeFeed } from '../storage/core/cache-invalidation.js';
import { openDatabase } from '../storage/index.js';
import type { KeelServices } from './context.js';

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
  let closeAudit = async () => {};
  try {
    const audit = new AuditLog(db, {
      flushIntervalMs: config.audit.flushIntervalMs,
      maxBatch: config.audit.maxBatch,
      signingKey: config.audit.signingKey,
      logger,
    });
    closeAudit = () => audit.close();
    const installation = await ensureInstallation(db, { bootstrapKey: config.bootstrapKey, audit });
    const metrics = new KeelMetrics({ defaultMetrics: options.processMetrics ?? true });
    const keys = new ApiKeyService(db, { audit });
    const usage = new UsageMeter(db, {
      flushIntervalMs: config.usage.flushIntervalMs,
      maxBatch: config.usage.maxBatch,
      logger,
      metrics,
    });
    const providers =
      options.providers ??
      (await (await import('../models/default-providers.js')).createDefaultProviders(config, logger));
    const registry = new ProviderRegistry(providers);
    const tracing = config.tracing.otlpEndpoint
      ? new OtlpExporter({
          endpoint: config.tracing.otlpEndpoint,
          serviceName: config.tracing.serviceName,
          serviceVersion: keelVersion,
          logger,
        })
      : undefined;
    // Optional models a user supplied; loaded now so a bad directory stops the start, clearly.
    const modelDetectors: DetectorV1[] = [];
    if (config.guardrails.nerModel) {
      const { createOnnxNerDetector } = await import('../guardrails/onnx/onnx-ner-detector.js');
      modelDetectors.push(
        await createOnnxNerDetector({ modelDir: path.resolve(config.dataDir, config.guardrails.nerModel) }),
      );
    }
    if (config.guardrails.hapModel) {
      const { createOnnxHapClassifier } = await import('../guardrails/onnx/onnx-hap-classifier.js');
      modelDetectors.push(
        await createOnnxHapClassifier({ modelDir: path.resolve(config.dataDir, config.guardrails.hapModel) }),
      );
    }
    const guardrails = new GuardrailService(
      db,
      loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir }),
      { metrics, logger, modelDetectors, audit },
    );
    // Every model the registry hands out runs through these (models/middleware for the order).
    for (const middleware of standardMiddleware({ exporter: tracing, guardrails, metrics, meter: usage }))
      registry.use(middleware);
    const generation = new GenerationService({ registry });
    // The one job runner: modules register their kinds below; it starts once they all have.
    // An embedded database belongs to this process alone, so jobs left running were orphaned.
    const jobs = new JobService({
      db,
      logger,
      exclusive: db.provider === 'pglite',
      leaseMs: config.jobs.leaseMs,
    });
    const rag = new RagService({
      db,
      jobs,
      registry,
      generation,
      dataDir: config.dataDir,
      logger,
      metrics,
      audit,
    });
    const pulls = new PullService({
      jobs,
      modelsDir: path.join(config.dataDir, 'models'),
      allowPrivateNetwork: config.security.allowPrivateNetworkFetch,
    });
    const services: KeelServices = {
      config,
      db,
      logger,
      metrics,
      keys,
      users: new UserService(db, keys, audit),
      projects: new ProjectService(db, audit),
      audit,
      usage,
      registry,
      generation,
      guardrails,
      rag,
      jobs,
      pulls,
      installation,
      startedAt: new Date(),
      version: keelVersion,
    };
    // Cached keys and policies follow changes from every replica from here on.
    await changeFeed(db).ready();
    // Jobs a previous process left unfinished (ingestion, experiments, downloads) resume now.
    await jobs.start();
    let closed = false;
    return {
      services,
      async close() {
        if (closed) return;
        closed = true;
        // Running jobs stop and go back to the queue, to resume on the next start.
        await jobs.stop();
        await usage.close();
        await guardrails.close();
        await tracing?.close();
        await registry.close();
        // Last before the database: whatever the services recorded while closing is written too.
        await audit.close();
        if (!options.db) await db.close();
      },
    };
  } catch (error) {
    await closeAudit().catch(() => {});
    if (!options.db) await db.close();
    throw error;
  }
}
