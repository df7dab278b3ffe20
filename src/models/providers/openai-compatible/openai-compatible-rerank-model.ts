/**
 * @module models/providers/openai-compatible/openai-compatible-rerank-model
 * `RerankModelV1` over the Jina-style `/v1/rerank` that vLLM and llama.cpp server (`--reranking`)
 * share: `{model, query, documents, top_n}` in, `{results: [{index, relevance_score}]}` out.
 */
import { KeelError } from '../../../core/errors.js';
import type { RerankModelV1, RerankOptions, RerankResult } from '../../../spec/rerank-model.js';
import type { OpenAICompatibleHost } from './openai-compatible-host.js';

interface RerankResponse {
  results?: { index: number; relevance_score?: number; score?: number }[];
  usage?: { total_tokens?: number; prompt_tokens?: number };
}

export class OpenAICompatibleRerankModel implements RerankModelV1 {
  readonly specificationVersion = 'v1' as const;

  constructor(
    readonly modelId: string,
    private readonly host: OpenAICompatibleHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  async doRerank(options: RerankOptions): Promise<RerankResult> {
    const path = this.host.paths.rerank;
    if (!path) {
      throw new KeelError('not_implemented', `${this.host.spec.label} has no rerank endpoint.`, {
        data: { provider: this.host.name },
      });
    }
    if (options.documents.length === 0) return { results: [], usage: { inputTokens: 0 } };
    const response = await this.host.client.postJson<RerankResponse>(
      path,
      {
        model: this.modelId,
        query: options.query,
        documents: options.documents,
        ...(options.topN !== undefined ? { top_n: options.topN } : {}),
      },
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const results = (response.results ?? [])
      .map((item) => ({ index: item.index, score: item.relevance_score ?? item.score ?? 0 }))
      .sort((a, b) => b.score - a.score);
    return {
      results: options.topN !== undefined ? results.slice(0, options.topN) : results,
      usage: { inputTokens: response.usage?.prompt_tokens ?? response.usage?.total_tokens ?? 0 },
    };
  }
}
