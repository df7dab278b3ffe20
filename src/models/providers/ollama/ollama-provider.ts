/**
 * @module models/providers/ollama/ollama-provider
 * A provider for an Ollama server, over its native API (`/api/chat`, `/api/generate`,
 * `/api/embed`, `/api/tags`, `/api/show`), addressed as `<name>:<model>` — e.g.
 * `ollama:granite3.3:2b`. Model kinds and context windows come from `/api/show`.
 */
import { providerApiKey } from '../../../core/config.js';
import { KeelError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/logger.js';
import type { ModelInfo, ProviderV1 } from '../../../spec/provider.js';
import { HttpClient, staticAuth } from '../shared/http-client.js';
import { configuredModels, guessKinds, modelInfo, probe } from '../shared/model-listing.js';
import {
  offeredModels,
  oncePerModel,
  type ProviderSettings,
  parseProviderConfig,
  type RemoteProviderOptions,
} from '../shared/remote-provider-options.js';
import { displayURL } from '../shared/upstream-errors.js';
import { OllamaEmbeddingModel } from './ollama-embedding-model.js';
import type { OllamaHost, OllamaPaths } from './ollama-host.js';
import { OllamaLanguageModel } from './ollama-language-model.js';

interface TagsResponse {
  models?: {
    name: string;
    model?: string;
    size?: number;
    digest?: string;
    modified_at?: string;
    details?: {
      family?: string;
      families?: string[] | null;
      parameter_size?: string;
      quantization_level?: string;
    };
  }[];
}

interface ShowResponse {
  capabilities?: string[];
  model_info?: Record<string, unknown>;
}

export type OllamaProviderSettings = ProviderSettings<'ollama'>;

/** What a model can do, from `/api/show` (Ollama ≥ 0.6 lists capabilities) or, failing that, its family. */
function kindsOf(show: ShowResponse | undefined, families: string[], modelId: string): ModelInfo['kinds'] {
  const capabilities = show?.capabilities;
  if (capabilities?.length) {
    const kinds: ModelInfo['kinds'] = [];
    if (capabilities.includes('completion')) kinds.push('language');
    if (capabilities.includes('embedding')) kinds.push('embedding');
    if (kinds.length) return kinds;
  }
  if (families.some((family) => /bert/i.test(family))) return ['embedding'];
  return guessKinds(modelId);
}

function contextLengthOf(show: ShowResponse | undefined): number | undefined {
  const info = show?.model_info;
  if (!info) return undefined;
  const architecture = info['general.architecture'];
  const value = typeof architecture === 'string' ? info[`${architecture}.context_length`] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/**
 * @example
 * const ollama = createOllamaProvider({ name: 'ollama', baseURL: 'http://127.0.0.1:11434' });
 * const stream = await ollama.languageModel('granite3.3:2b').doStream({
 *   prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hello' }] },
 * });
 */
export function createOllamaProvider(
  settings: OllamaProviderSettings,
  options: RemoteProviderOptions = {},
): ProviderV1 {
  const config = parseProviderConfig('ollama', settings);
  const logger = options.logger ?? silentLogger;
  const name = config.name;
  const apiKey = providerApiKey(config, options.env);
  if (config.apiKeyEnv && !apiKey) {
    logger.warn(
      { provider: name, apiKeyEnv: config.apiKeyEnv },
      'the API key variable of a provider is not set',
    );
  }
  const client = new HttpClient({
    context: { provider: name, displayURL: displayURL(config.baseURL), secrets: apiKey ? [apiKey] : [] },
    baseURL: config.baseURL,
    headers: config.headers,
    // Ollama itself has no auth; a key is for a proxy in front of it.
    ...(apiKey ? { auth: staticAuth(`Bearer ${apiKey}`)! } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    timeoutMs: config.timeoutMs,
  });
  const paths: OllamaPaths = {
    chat: client.path('/api/chat'),
    generate: client.path('/api/generate'),
    embed: client.path('/api/embed'),
    tags: client.path('/api/tags'),
    show: client.path('/api/show'),
    version: client.path('/api/version'),
  };
  const shown = new Map<string, Promise<ShowResponse>>();
  function show(modelId: string, signal?: AbortSignal): Promise<ShowResponse> {
    let result = shown.get(modelId);
    if (!result) {
      result = client.postJson<ShowResponse>(paths.show, { model: modelId }, { signal, modelId });
      shown.set(modelId, result);
      // Failures are not remembered: the model may be pulled a minute later.
      result.catch(() => shown.delete(modelId));
    }
    return result;
  }

  const host: OllamaHost = {
    name,
    client,
    paths,
    async contextLength(modelId) {
      try {
        return contextLengthOf(await show(modelId));
      } catch {
        return undefined;
      }
    },
  };

  const offered = offeredModels(name, config.models, 'Ollama');
  const languageModel = oncePerModel((modelId) => new OllamaLanguageModel(modelId, host));
  return {
    specificationVersion: 'v1',
    name,
    type: 'ollama',
    languageModel(modelId) {
      offered(modelId);
      return languageModel(modelId);
    },
    embeddingModel(modelId) {
      offered(modelId);
      return new OllamaEmbeddingModel(modelId, host);
    },
    rerankModel() {
      throw new KeelError('not_implemented', `Ollama (provider "${name}") has no rerank endpoint.`, {
        data: { provider: name },
      });
    },
    async listModels(listOptions = {}) {
      if (config.models) return configuredModels(name, config.models);
      const signal = listOptions.abortSignal;
      const tags = await client.getJson<TagsResponse>(paths.tags, { signal });
      return Promise.all(
        (tags.models ?? []).map(async (entry) => {
          const details = entry.details ?? {};
          const facts = await show(entry.name, signal).catch(() => undefined);
          return modelInfo(name, entry.name, kindsOf(facts, details.families ?? [], entry.name), {
            contextLength: contextLengthOf(facts),
            details: {
              ...(entry.size !== undefined ? { sizeBytes: entry.size } : {}),
              ...(details.family ? { family: details.family } : {}),
              ...(details.parameter_size ? { parameterCount: details.parameter_size.toLowerCase() } : {}),
              ...(details.quantization_level ? { quantization: details.quantization_level } : {}),
              ...(entry.digest ? { digest: entry.digest } : {}),
            },
          });
        }),
      );
    },
    status(statusOptions = {}) {
      return probe(async () => {
        const version = await client.getJson<{ version?: string }>(paths.version, {
          signal: statusOptions.abortSignal,
        });
        return `Ollama ${version.version ?? '(unknown version)'}`;
      });
    },
    close: () => client.close(),
  };
}
