/**
 * @module models/providers/watsonx/watsonx-provider
 * A provider for IBM watsonx.ai (IBM Cloud, or Cloud Pak for Data with `iamURL` pointing at its
 * token service), addressed as `<name>:<model id>` — e.g. `watsonx:ibm/granite-3-8b-instruct`.
 * An `apiKey` is exchanged for IAM bearer tokens; every call carries `?version=<apiVersion>` and
 * the configured `project_id` or `space_id`, as IBM's own SDKs send them.
 */
import { Agent } from 'undici';
import { providerApiKey } from '../../../core/config.js';
import { KeelError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/logger.js';
import type { ModelInfo, ProviderV1 } from '../../../spec/provider.js';
import { HttpClient } from '../shared/http-client.js';
import { configuredModels, guessKinds, modelInfo, probe } from '../shared/model-listing.js';
import {
  offeredModels,
  oncePerModel,
  type ProviderSettings,
  parseProviderConfig,
  type RemoteProviderOptions,
} from '../shared/remote-provider-options.js';
import { displayURL } from '../shared/upstream-errors.js';
import { IamTokenSource } from './iam-token-source.js';
import { WatsonxEmbeddingModel } from './watsonx-embedding-model.js';
import type { WatsonxHost, WatsonxPaths } from './watsonx-host.js';
import { WatsonxLanguageModel } from './watsonx-language-model.js';
import { scopeFields } from './watsonx-request.js';
import { WatsonxRerankModel } from './watsonx-rerank-model.js';

interface SpecsResponse {
  resources?: {
    model_id: string;
    label?: string;
    provider?: string;
    source?: string;
    short_description?: string;
    number_params?: string;
    functions?: { id: string }[];
    model_limits?: { max_sequence_length?: number; max_output_tokens?: number };
    lifecycle?: { id: string; start_date?: string }[];
  }[];
  next?: { href?: string };
}

type Spec = NonNullable<SpecsResponse['resources']>[number];

export type WatsonxProviderSettings = ProviderSettings<'watsonx'>;

// Pages of foundation model specs to follow (200 a page; IBM Cloud lists about a hundred).
const maxSpecPages = 10;
const listingTtlMs = 300_000;

function kindsOf(spec: Spec): ModelInfo['kinds'] {
  const functions = new Set((spec.functions ?? []).map((fn) => fn.id));
  if (functions.size === 0) return guessKinds(spec.model_id);
  const kinds: ModelInfo['kinds'] = [];
  if (functions.has('text_generation') || functions.has('text_chat')) kinds.push('language');
  if (functions.has('embedding')) kinds.push('embedding');
  if (functions.has('rerank')) kinds.push('rerank');
  return kinds.length ? kinds : guessKinds(spec.model_id);
}

/**
 * @example
 * const watsonx = createWatsonxProvider({
 *   name: 'watsonx', baseURL: 'https://us-south.ml.cloud.ibm.com', apiKeyEnv: 'WATSONX_APIKEY', projectId: '…',
 * });
 * const { text } = await watsonx.languageModel('ibm/granite-3-8b-instruct').doGenerate({
 *   prompt: { type: 'text', text: 'Summarise: …' }, parameters: { maxNewTokens: 200 },
 * });
 */
export function createWatsonxProvider(
  settings: WatsonxProviderSettings,
  options: RemoteProviderOptions = {},
): ProviderV1 {
  const config = parseProviderConfig('watsonx', settings);
  const logger = options.logger ?? silentLogger;
  const name = config.name;
  const apiKey = providerApiKey(config, options.env);
  if (config.apiKeyEnv && !apiKey) {
    logger.warn(
      { provider: name, apiKeyEnv: config.apiKeyEnv },
      'the API key variable of a provider is not set',
    );
  }
  const ownsDispatcher = options.dispatcher === undefined;
  // One keep-alive agent for watsonx and IAM, closed with the provider when it is ours.
  const dispatcher =
    options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const tokens = apiKey
    ? new IamTokenSource({
        iamURL: config.iamURL,
        apiKey,
        dispatcher,
        provider: name,
        timeoutMs: config.timeoutMs,
        logger,
      })
    : undefined;
  const client = new HttpClient({
    context: { provider: name, displayURL: displayURL(config.baseURL), secrets: apiKey ? [apiKey] : [] },
    baseURL: config.baseURL,
    headers: config.headers,
    ...(tokens ? { auth: tokens } : {}),
    dispatcher,
    timeoutMs: config.timeoutMs,
  });
  const version = { version: config.apiVersion };
  const paths: WatsonxPaths = {
    generation: client.path('/ml/v1/text/generation', version),
    generationStream: client.path('/ml/v1/text/generation_stream', version),
    chat: client.path('/ml/v1/text/chat', version),
    chatStream: client.path('/ml/v1/text/chat_stream', version),
    tokenization: client.path('/ml/v1/text/tokenization', version),
    embeddings: client.path('/ml/v1/text/embeddings', version),
    rerank: client.path('/ml/v1/text/rerank', version),
    specs: client.path('/ml/v1/foundation_model_specs', { ...version, limit: '200' }),
  };
  const scope = scopeFields({ projectId: config.projectId, spaceId: config.spaceId });
  const hasScope = Object.keys(scope).length > 0;

  async function fetchSpecs(signal?: AbortSignal): Promise<Spec[]> {
    const specs: Spec[] = [];
    let path: string | undefined = paths.specs;
    for (let page = 0; path && page < maxSpecPages; page++) {
      const response: SpecsResponse = await client.getJson<SpecsResponse>(path, { signal });
      specs.push(...(response.resources ?? []));
      path = undefined;
      if (response.next?.href) {
        // `next.href` is absolute; keep its path and query on the configured host.
        const next = new URL(response.next.href, config.baseURL);
        if (!next.searchParams.has('version')) next.searchParams.set('version', config.apiVersion);
        path = `${next.pathname}${next.search}`;
      }
    }
    return specs;
  }
  let listing: { at: number; specs: Promise<Spec[]> } | undefined;
  function cachedSpecs(signal?: AbortSignal, fresh = false): Promise<Spec[]> {
    if (fresh || !listing || performance.now() - listing.at > listingTtlMs) {
      const specs = fetchSpecs(signal);
      listing = { at: performance.now(), specs };
      specs.catch(() => {
        if (listing?.specs === specs) listing = undefined;
      });
    }
    return listing.specs;
  }

  const host: WatsonxHost = {
    name,
    client,
    paths,
    scope() {
      if (!hasScope) {
        throw new KeelError(
          'invalid_config',
          `Provider "${name}" needs projectId or spaceId in keel.yaml: watsonx.ai runs every inference call in a project or a deployment space.`,
          { data: { provider: name } },
        );
      }
      return scope;
    },
    async contextLength(modelId) {
      try {
        const spec = (await cachedSpecs()).find((entry) => entry.model_id === modelId);
        return spec?.model_limits?.max_sequence_length;
      } catch {
        return undefined;
      }
    },
  };

  const offered = offeredModels(name, config.models, 'watsonx.ai');
  const languageModel = oncePerModel((modelId) => new WatsonxLanguageModel(modelId, host));
  return {
    specificationVersion: 'v1',
    name,
    type: 'watsonx',
    languageModel(modelId) {
      offered(modelId);
      return languageModel(modelId);
    },
    embeddingModel(modelId) {
      offered(modelId);
      return new WatsonxEmbeddingModel(modelId, host);
    },
    rerankModel(modelId) {
      offered(modelId);
      return new WatsonxRerankModel(modelId, host);
    },
    async listModels(listOptions = {}) {
      if (config.models) return configuredModels(name, config.models);
      return (await cachedSpecs(listOptions.abortSignal, true)).map((spec) =>
        modelInfo(name, spec.model_id, kindsOf(spec), {
          contextLength: spec.model_limits?.max_sequence_length,
          details: {
            ...(spec.label ? { label: spec.label } : {}),
            ...(spec.provider ? { source: spec.provider } : {}),
            ...(spec.short_description ? { description: spec.short_description } : {}),
            ...(spec.number_params ? { parameterCount: spec.number_params } : {}),
            ...(spec.lifecycle?.length ? { lifecycle: spec.lifecycle.map((state) => state.id) } : {}),
          },
        }),
      );
    },
    status(statusOptions = {}) {
      return probe(async () => {
        await client.getJson<SpecsResponse>(
          client.path('/ml/v1/foundation_model_specs', { ...version, limit: '1' }),
          {
            signal: statusOptions.abortSignal,
          },
        );
        // The specs list needs no credentials: check them by fetching a token too.
        if (tokens) await tokens.authorization(statusOptions.abortSignal);
        return `watsonx.ai API version ${config.apiVersion}${hasScope ? '' : ' — no projectId or spaceId configured'}`;
      });
    },
    async close() {
      await client.close();
      if (ownsDispatcher) await dispatcher.destroy();
    },
  };
}
