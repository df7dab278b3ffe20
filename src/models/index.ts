/**
 * @module models
 * Model providers, the registry that names their models `provider:model`, the middleware every
 * call runs through, generation, the catalog and model downloads. Other modules import it only
 * through this file (the llama.cpp provider loads on demand: `default-providers.ts`).
 */

import path from 'node:path';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { GuardrailService } from '../guardrails/index.js';
import type { JobService } from '../jobs/index.js';
import type { UsageMeter } from '../platform/index.js';
import type { ProviderV1 } from '../spec/provider.js';
import { GenerationService } from './generation-service.js';
import { OtlpExporter, standardMiddleware } from './middleware/index.js';
import { ProviderRegistry } from './provider-registry.js';
import { PullService } from './pull-jobs.js';

export { findCatalogEntry } from './catalog.js';
export {
  type CallContext,
  type GenerationRequest,
  GenerationService,
} from './generation-service.js';
export { ProviderRegistry } from './provider-registry.js';
export { createHashingProvider, HashingEmbeddingModel } from './providers/hashing/index.js';
export { hashFile } from './pull-files.js';
export { PullService } from './pull-jobs.js';

export interface ModelsDeps extends ModuleBase {
  guardrails: GuardrailService;
  usage: UsageMeter;
  jobs: JobService;
  /** Providers to register instead of those the configuration names (tests). */
  providerOverride?: ProviderV1[] | undefined;
}

export interface ModelsApi {
  registry: ProviderRegistry;
  generation: GenerationService;
  pulls: PullService;
  /** The OTLP exporter, when tracing is configured. */
  tracing: OtlpExporter | undefined;
}

/** The models module: providers in a registry, every model behind the standard middleware. */
export const modelsModule: KeelModule<ModelsDeps, ModelsApi> = {
  name: 'models',
  async create({ config, logger, metrics, version, guardrails, usage, jobs, providerOverride }) {
    const providers =
      providerOverride ??
      (await (await import('./default-providers.js')).createDefaultProviders(config, logger));
    const registry = new ProviderRegistry(providers);
    const tracing = config.tracing.otlpEndpoint
      ? new OtlpExporter({
          endpoint: config.tracing.otlpEndpoint,
          serviceName: config.tracing.serviceName,
          serviceVersion: version,
          logger,
        })
      : undefined;
    // Every model the registry hands out runs through these (models/middleware for the order).
    for (const middleware of standardMiddleware({ exporter: tracing, guardrails, metrics, meter: usage }))
      registry.use(middleware);
    const pulls = new PullService({
      jobs,
      modelsDir: path.join(config.dataDir, 'models'),
      allowPrivateNetwork: config.security.allowPrivateNetworkFetch,
    });
    return { registry, generation: new GenerationService({ registry }), pulls, tracing };
  },
  async close({ tracing, registry }) {
    await tracing?.close();
    await registry.close();
  },
};
