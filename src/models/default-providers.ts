/**
 * @module models/default-providers
 * The providers a configuration asks for: embedded llama.cpp over `<data-dir>/models` always,
 * the built-in hashing embedder always, and one provider per `providers:` entry of keel.yaml.
 * Adapter factories are looked up by type in a table, not a growing switch.
 */
import path from 'node:path';
import type { KeelConfig, ProviderConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { ProviderV1 } from '../spec/provider.js';

type RemoteFactory = (config: ProviderConfig, logger: Logger, keel: KeelConfig) => ProviderV1;

const remoteFactories: Record<ProviderConfig['type'], () => Promise<RemoteFactory>> = {
  'openai-compatible': async () => {
    const { createOpenAICompatibleProvider } = await import('./providers/openai-compatible/index.js');
    return (config, logger) => createOpenAICompatibleProvider(config as never, { logger });
  },
  ollama: async () => {
    const { createOllamaProvider } = await import('./providers/ollama/index.js');
    return (config, logger) => createOllamaProvider(config as never, { logger });
  },
  watsonx: async () => {
    const { createWatsonxProvider } = await import('./providers/watsonx/index.js');
    return (config, logger) => createWatsonxProvider(config as never, { logger });
  },
  http: async () => {
    const { createHttpProvider } = await import('./providers/http/index.js');
    return (config, logger, keel) =>
      createHttpProvider(config as never, {
        logger,
        allowPrivateNetwork: keel.security.allowPrivateNetworkFetch,
      });
  },
  onnx: async () => {
    const { createOnnxProvider } = await import('./providers/onnx/index.js');
    return (config, _logger, keel) => {
      const entry = config as Extract<ProviderConfig, { type: 'onnx' }>;
      return createOnnxProvider({
        name: entry.name,
        modelsDir: entry.modelsDir ?? path.join(keel.dataDir, 'models', 'onnx'),
      });
    };
  },
};

export async function createDefaultProviders(config: KeelConfig, logger: Logger): Promise<ProviderV1[]> {
  const { createLlamaCppProvider } = await import('./providers/llamacpp/index.js');
  const { createHashingProvider } = await import('./providers/hashing/index.js');
  const providers: ProviderV1[] = [
    createLlamaCppProvider({
      modelsDir: path.join(config.dataDir, 'models'),
      threads: config.llamacpp.threads,
      gpu: config.llamacpp.gpu,
      contextSize: config.llamacpp.contextSize,
      idleUnloadSeconds: config.llamacpp.idleUnloadSeconds,
      maxLoadedModels: config.llamacpp.maxLoadedModels,
      sequences: config.llamacpp.sequences,
      logger,
    }),
    createHashingProvider(),
  ];
  for (const entry of config.providers) {
    const factory = await remoteFactories[entry.type]();
    providers.push(factory(entry, logger, config));
  }
  return providers;
}
