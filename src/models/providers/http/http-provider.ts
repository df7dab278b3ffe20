/**
 * @module models/providers/http/http-provider
 * A provider for a model behind any HTTP endpoint — a SageMaker or Azure ML endpoint, a Vertex
 * prediction route, a team's own service — addressed as `<name>:<model>`. keel.yaml says where it
 * is (`baseURL`, path included), the method, the headers (secret ones by environment variable, in
 * `headersEnv`), the body as a JSON template and where the answer's text and token counts are.
 * The endpoint must be a public https address unless `security.allowPrivateNetworkFetch` is on:
 * the same outbound-URL policy as model downloads, checked again at connect time.
 *
 * @example
 * providers:
 *   - type: http
 *     name: claims
 *     baseURL: https://scorer.example.com/v1/predict
 *     headersEnv: { x-api-token: CLAIMS_TOKEN }
 *     body: { inputs: '{{input}}', parameters: { max_length: '{{max_new_tokens}}' } }
 *     response: { text: 'outputs[0].text', outputTokens: 'meta.generated_tokens' }
 */
import { Agent } from 'undici';
import { KeelError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/logger.js';
import { assertPublicUrl, publicOnlyLookup } from '../../../core/outbound-url.js';
import type { ProviderV1 } from '../../../spec/provider.js';
import { HttpClient, staticAuth } from '../shared/http-client.js';
import { configuredModels, probe } from '../shared/model-listing.js';
import {
  offeredModels,
  oncePerModel,
  type ProviderSettings,
  parseProviderConfig,
  type RemoteProviderOptions,
} from '../shared/remote-provider-options.js';
import { displayURL } from '../shared/upstream-errors.js';
import { HttpLanguageModel, type HttpModelHost } from './http-language-model.js';
import { templatePlaceholders } from './request-template.js';
import { parsePath } from './response-path.js';

export type HttpProviderSettings = ProviderSettings<'http'>;

export interface HttpProviderOptions extends RemoteProviderOptions {
  /** Allow loopback and private addresses, and plain http (`security.allowPrivateNetworkFetch`). Default false. */
  allowPrivateNetwork?: boolean;
}

function secretHeaders(
  name: string,
  headersEnv: Record<string, string>,
  env: NodeJS.ProcessEnv,
  logger: RemoteProviderOptions['logger'] & object,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [header, variable] of Object.entries(headersEnv)) {
    const value = env[variable];
    if (value) headers[header] = value;
    // Names the variable, never a value.
    else
      logger.warn(
        { provider: name, header, variable },
        'the variable of a secret provider header is not set',
      );
  }
  return headers;
}

const optionalPath = (path: string | undefined, field: string, provider: string) =>
  path === undefined ? undefined : parsePath(path, field, provider);

export function createHttpProvider(
  settings: HttpProviderSettings,
  options: HttpProviderOptions = {},
): ProviderV1 {
  const config = parseProviderConfig('http', settings);
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  const name = config.name;
  const apiKey = config.apiKey ?? (config.apiKeyEnv ? env[config.apiKeyEnv] : undefined);
  if (config.apiKeyEnv && !apiKey)
    logger.warn(
      { provider: name, apiKeyEnv: config.apiKeyEnv },
      'the API key variable of a provider is not set',
    );
  const sealed = secretHeaders(name, config.headersEnv, env, logger);
  const secrets = [...(apiKey ? [apiKey] : []), ...Object.values(sealed)];
  const allowPrivate = options.allowPrivateNetwork ?? false;
  const url = new URL(config.baseURL);
  // The address connected to is checked too, not only the one resolved before (DNS rebinding).
  const dispatcher =
    options.dispatcher ??
    new Agent({
      keepAliveTimeout: 30_000,
      ...(allowPrivate ? {} : { connect: { lookup: publicOnlyLookup as never } }),
    });
  const client = new HttpClient({
    context: { provider: name, displayURL: displayURL(config.baseURL), secrets },
    baseURL: url.origin,
    headers: { ...config.headers, ...sealed },
    ...(apiKey ? { auth: staticAuth(`Bearer ${apiKey}`)! } : {}),
    dispatcher,
    timeoutMs: config.timeoutMs,
  });

  let allowed: Promise<void> | undefined;
  const ready = () => {
    allowed ??= assertPublicUrl(url, { allowPrivateNetwork: allowPrivate }).then(() => undefined);
    // A refusal is not remembered: the setting or DNS may change.
    allowed.catch(() => {
      allowed = undefined;
    });
    return allowed;
  };

  const host: HttpModelHost = {
    name,
    client,
    method: config.method,
    path: `${url.pathname}${url.search}`,
    template: config.body,
    placeholders: templatePlaceholders(config.body, name),
    response: {
      text: parsePath(config.response.text, 'text', name),
      textPath: config.response.text,
      inputTokens: optionalPath(config.response.inputTokens, 'inputTokens', name),
      outputTokens: optionalPath(config.response.outputTokens, 'outputTokens', name),
    },
    ready,
  };

  const offered = offeredModels(name, config.models, 'the endpoint');
  const languageModel = oncePerModel((modelId) => new HttpLanguageModel(modelId, host));
  const onlyGeneration = (what: string) =>
    new KeelError(
      'not_implemented',
      `Provider "${name}" (type http) serves text generation only, not ${what}.`,
      {
        data: { provider: name },
      },
    );
  return {
    specificationVersion: 'v1',
    name,
    type: 'http',
    languageModel(modelId) {
      offered(modelId);
      return languageModel(modelId);
    },
    embeddingModel() {
      throw onlyGeneration('embeddings');
    },
    rerankModel() {
      throw onlyGeneration('reranking');
    },
    async listModels() {
      return config.models ? configuredModels(name, config.models) : [];
    },
    status(statusOptions = {}) {
      // An arbitrary endpoint has no health route: reachable means the address is allowed and
      // the server answers HTTP at all (a 405 for a GET still proves it is there).
      return probe(async () => {
        await ready();
        const response = await dispatcher.request({
          origin: url.origin,
          path: host.path,
          method: 'GET',
          signal: statusOptions.abortSignal ?? null,
          headersTimeout: config.timeoutMs,
        });
        await response.body.dump();
        return `HTTP endpoint answered ${response.statusCode}`;
      });
    },
    async close() {
      if (!options.dispatcher) await dispatcher.destroy();
    },
  };
}
