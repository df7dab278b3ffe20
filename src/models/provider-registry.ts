/**
 * @module models/provider-registry
 * Resolves `"<provider>:<model>"` ids to models. Providers are registered explicitly (embedded
 * llama.cpp always, remote ones from the configuration); there is no switch on provider names.
 * The models it hands out are wrapped in the registry's middleware (guardrails, metering, time
 * limits, metrics, tracing …): this is the one place they are applied, so every caller gets them.
 */
import { KeelError } from '../core/errors.js';
import type { EmbeddingModelV1 } from '../spec/embedding-model.js';
import type { CallContext, LanguageModelV1 } from '../spec/language-model.js';
import type { ModelInfo, ProviderStatus, ProviderV1 } from '../spec/provider.js';
import type { RerankModelV1 } from '../spec/rerank-model.js';
import type { ModelMiddleware } from './middleware/model-middleware.js';
import { wrapEmbeddingModel, wrapLanguageModel } from './middleware/wrap-model.js';

export interface ParsedModelId {
  provider: string;
  modelId: string;
}

/** Splits at the first `:`; model ids may contain further colons (`ollama:granite3.3:2b`). */
export function parseModelId(id: string): ParsedModelId {
  const index = id.indexOf(':');
  if (index <= 0 || index === id.length - 1) {
    throw new KeelError(
      'model_not_found',
      `Model id "${id}" must look like "<provider>:<model>", e.g. "llamacpp:granite-3.3-2b-instruct".`,
      {
        data: { modelId: id, hint: 'List available models with GET /v1/models or `keel models list`.' },
      },
    );
  }
  return { provider: id.slice(0, index), modelId: id.slice(index + 1) };
}

export interface ProviderRegistryOptions {
  /** Middleware for every model handed out, outermost first. */
  middleware?: ModelMiddleware[];
}

export class ProviderRegistry {
  readonly #providers = new Map<string, ProviderV1>();
  #middleware: ModelMiddleware[];

  constructor(providers: ProviderV1[] = [], options: ProviderRegistryOptions = {}) {
    for (const provider of providers) this.register(provider);
    this.#middleware = [...(options.middleware ?? [])];
  }

  /**
   * Adds middleware for the models handed out from now on: innermost (nearest the model) by
   * default, or just outside the middleware named `before`.
   *
   * @example
   * registry.use(budgetMiddleware(budgets), { before: 'metering' });
   */
  use(middleware: ModelMiddleware, options: { before?: string } = {}): void {
    const index = options.before ? this.#middleware.findIndex((m) => m.name === options.before) : -1;
    if (options.before && index === -1)
      throw new KeelError('invalid_config', `No model middleware named "${options.before}".`);
    if (index === -1) this.#middleware.push(middleware);
    else this.#middleware.splice(index, 0, middleware);
  }

  /** The middleware, outermost first. */
  middleware(): readonly ModelMiddleware[] {
    return this.#middleware;
  }

  /** Wraps a model obtained elsewhere (a built-in fallback) in the registry's middleware. */
  wrapLanguageModel(model: LanguageModelV1): LanguageModelV1 {
    return wrapLanguageModel(model, this.#middleware);
  }

  wrapEmbeddingModel(model: EmbeddingModelV1): EmbeddingModelV1 {
    return wrapEmbeddingModel(model, this.#middleware);
  }

  register(provider: ProviderV1): void {
    if (this.#providers.has(provider.name)) {
      throw new KeelError(
        'invalid_config',
        `Two providers are named "${provider.name}"; names must be unique.`,
      );
    }
    this.#providers.set(provider.name, provider);
  }

  providers(): ProviderV1[] {
    return [...this.#providers.values()];
  }

  provider(name: string): ProviderV1 {
    const provider = this.#providers.get(name);
    if (!provider) {
      throw new KeelError(
        'model_not_found',
        `No provider named "${name}". Configured: ${[...this.#providers.keys()].join(', ') || 'none'}.`,
        {
          data: { provider: name, hint: 'List available models with GET /v1/models or `keel models list`.' },
        },
      );
    }
    return provider;
  }

  /** The model, wrapped in the registry's middleware. */
  languageModel(id: string): LanguageModelV1 {
    const { provider, modelId } = parseModelId(id);
    return wrapLanguageModel(this.provider(provider).languageModel(modelId), this.#middleware);
  }

  /**
   * The embedding model, wrapped in the registry's middleware. With `context`, calls that carry
   * none are made for it (an ingestion job embeds for its collection's project).
   */
  embeddingModel(id: string, options: { context?: CallContext | undefined } = {}): EmbeddingModelV1 {
    const { provider, modelId } = parseModelId(id);
    const model = this.provider(provider).embeddingModel(modelId);
    const context = options.context;
    if (!context) return wrapEmbeddingModel(model, this.#middleware);
    return wrapEmbeddingModel(model, [
      {
        name: 'call-context',
        wrapEmbed: ({ options: call, doEmbed }) => doEmbed(call.context ? call : { ...call, context }),
      },
      ...this.#middleware,
    ]);
  }

  rerankModel(id: string): RerankModelV1 {
    const { provider, modelId } = parseModelId(id);
    return this.provider(provider).rerankModel(modelId);
  }

  /**
   * Models of every provider. A provider that cannot be reached contributes nothing and is
   * reported in `unavailable` instead of failing the whole list.
   */
  async listModels(
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<{ models: ModelInfo[]; unavailable: { provider: string; message: string }[] }> {
    const results = await Promise.allSettled(
      this.providers().map((provider) => provider.listModels(options)),
    );
    const models: ModelInfo[] = [];
    const unavailable: { provider: string; message: string }[] = [];
    results.forEach((result, index) => {
      const provider = this.providers()[index]!;
      if (result.status === 'fulfilled') models.push(...result.value);
      else
        unavailable.push({
          provider: provider.name,
          message: (result.reason as Error)?.message ?? String(result.reason),
        });
    });
    return { models, unavailable };
  }

  async status(): Promise<Record<string, ProviderStatus & { type: string }>> {
    const entries = await Promise.all(
      this.providers().map(async (provider) => {
        try {
          return [provider.name, { type: provider.type, ...(await provider.status()) }] as const;
        } catch (error) {
          return [
            provider.name,
            { type: provider.type, reachable: false, message: (error as Error).message },
          ] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.providers().map((provider) => provider.close()));
  }
}
