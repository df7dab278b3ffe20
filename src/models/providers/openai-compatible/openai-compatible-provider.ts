/**
 * @module models/providers/openai-compatible/openai-compatible-provider
 * A provider for any server that speaks the OpenAI API — OpenAI itself, Azure OpenAI, vLLM, Text
 * Generation Inference, LM Studio, llama.cpp's server — addressed as `<name>:<model>`. The
 * `dialect` of its keel.yaml entry says which extensions the server has (see
 * openai-compatible-dialects.ts).
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
import { dialectPaths, dialects } from './openai-compatible-dialects.js';
import { OpenAICompatibleEmbeddingModel } from './openai-compatible-embedding-model.js';
import type { OpenAICompatibleHost } from './openai-compatible-host.js';
import { OpenAICompatibleLanguageModel } from './openai-compatible-language-model.js';
import { OpenAICompatibleRerankModel } from './openai-compatible-rerank-model.js';

/** The newest generally available Azure OpenAI data-plane version when this was written. */
export const defaultAzureApiVersion = '2024-10-21';

// How long a `/v1/models` answer is reused for context lengths.
const listingTtlMs = 60_000;

interface ModelsResponse {
  data?: {
    id: string;
    owned_by?: string;
    created?: number;
    max_model_len?: number;
    meta?: { n_ctx_train?: number };
  }[];
}

export type OpenAICompatibleProviderSettings = ProviderSettings<'openai-compatible'>;

/**
 * @example
 * const vllm = createOpenAICompatibleProvider({ name: 'vllm', baseURL: 'http://gpu-1:8000/v1', dialect: 'vllm' });
 * const { text } = await vllm.languageModel('ibm-granite/granite-3.3-8b-instruct').doGenerate({
 *   prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hello' }] },
 *   parameters: { decodingMethod: 'greedy', maxNewTokens: 50 },
 * });
 */
export function createOpenAICompatibleProvider(
  settings: OpenAICompatibleProviderSettings,
  options: RemoteProviderOptions = {},
): ProviderV1 {
  const config = parseProviderConfig('openai-compatible', settings);
  const logger = options.logger ?? silentLogger;
  const name = config.name;
  const dialect = config.dialect;
  const spec = dialects[dialect];
  const azure = dialect === 'azure';
  const apiKey = providerApiKey(config, options.env);
  if (config.apiKeyEnv && !apiKey) {
    logger.warn(
      { provider: name, apiKeyEnv: config.apiKeyEnv },
      'the API key variable of a provider is not set',
    );
  }
  const url = new URL(config.baseURL);
  const paths = dialectPaths(
    dialect,
    url.pathname,
    azure
      ? { apiVersion: config.apiVersion ?? defaultAzureApiVersion, deployment: config.deployment }
      : undefined,
  );
  const client = new HttpClient({
    context: { provider: name, displayURL: displayURL(config.baseURL), secrets: apiKey ? [apiKey] : [] },
    baseURL: url.origin,
    headers: config.headers,
    authHeader: azure ? 'api-key' : 'authorization',
    ...(apiKey ? { auth: staticAuth(azure ? apiKey : `Bearer ${apiKey}`)! } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    timeoutMs: config.timeoutMs,
  });

  let listing: { at: number; models: Promise<ModelInfo[]> } | undefined;
  async function fetchModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const response = await client.getJson<ModelsResponse>(paths.models, { signal });
    return (response.data ?? []).map((entry) => {
      const contextLength = entry.max_model_len ?? entry.meta?.n_ctx_train;
      return modelInfo(name, entry.id, guessKinds(entry.id), {
        contextLength,
        details: { ...(entry.owned_by ? { ownedBy: entry.owned_by } : {}), dialect },
      });
    });
  }
  function cachedModels(signal?: AbortSignal, fresh = false): Promise<ModelInfo[]> {
    if (fresh || !listing || performance.now() - listing.at > listingTtlMs) {
      const models = fetchModels(signal);
      listing = { at: performance.now(), models };
      // A failed listing is not remembered.
      models.catch(() => {
        if (listing?.models === models) listing = undefined;
      });
    }
    return listing.models;
  }

  const host: OpenAICompatibleHost = {
    name,
    dialect,
    spec,
    paths,
    client,
    async contextLength(modelId) {
      if (azure) return undefined;
      try {
        return (await cachedModels()).find((model) => model.modelId === modelId)?.contextLength;
      } catch {
        return undefined;
      }
    },
  };

  // An Azure deployment answers for whatever model it was deployed with.
  const offered = offeredModels(name, azure && config.deployment ? undefined : config.models, 'the server');
  const languageModel = oncePerModel((modelId) => new OpenAICompatibleLanguageModel(modelId, host));
  return {
    specificationVersion: 'v1',
    name,
    type: 'openai-compatible',
    languageModel(modelId) {
      offered(modelId);
      return languageModel(modelId);
    },
    embeddingModel(modelId) {
      offered(modelId);
      return new OpenAICompatibleEmbeddingModel(modelId, host);
    },
    rerankModel(modelId) {
      if (!spec.rerank) {
        throw new KeelError(
          'not_implemented',
          `${spec.label} (provider "${name}", dialect ${dialect}) has no rerank endpoint.`,
          {
            data: {
              provider: name,
              hint: 'vLLM and llama.cpp server (dialects vllm, llamacpp-server) rerank.',
            },
          },
        );
      }
      offered(modelId);
      return new OpenAICompatibleRerankModel(modelId, host);
    },
    async listModels(listOptions = {}) {
      if (config.models) return configuredModels(name, config.models);
      if (azure) {
        if (config.deployment) return configuredModels(name, [config.deployment]);
        throw new KeelError(
          'invalid_config',
          `Azure OpenAI deployments cannot be listed through its inference API; list them under models: of provider "${name}" in keel.yaml.`,
          { data: { provider: name } },
        );
      }
      return cachedModels(listOptions.abortSignal, true);
    },
    status(statusOptions = {}) {
      return probe(async () => {
        const response = await client.getJson<ModelsResponse>(paths.models, {
          signal: statusOptions.abortSignal,
        });
        const count = response.data?.length ?? 0;
        return `${spec.label}, ${count} model${count === 1 ? '' : 's'}`;
      });
    },
    close: () => client.close(),
  };
}
