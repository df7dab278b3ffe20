/**
 * @module models/providers/watsonx/watsonx-rerank-model
 * `RerankModelV1` over watsonx.ai's `/ml/v1/text/rerank`: `inputs` of `{text}`, `top_n` under
 * `parameters.return_options`.
 */
import type { RerankModelV1, RerankOptions, RerankResult } from '../../../spec/rerank-model.js';
import type { WatsonxHost } from './watsonx-host.js';

export class WatsonxRerankModel implements RerankModelV1 {
  readonly specificationVersion = 'v1' as const;

  constructor(
    readonly modelId: string,
    private readonly host: WatsonxHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  async doRerank(options: RerankOptions): Promise<RerankResult> {
    if (options.documents.length === 0) return { results: [], usage: { inputTokens: 0 } };
    const response = await this.host.client.postJson<{
      results?: { index: number; score: number }[];
      input_token_count?: number;
    }>(
      this.host.paths.rerank,
      {
        model_id: this.modelId,
        query: options.query,
        inputs: options.documents.map((text) => ({ text })),
        ...this.host.scope(),
        ...(options.topN !== undefined ? { parameters: { return_options: { top_n: options.topN } } } : {}),
      },
      { signal: options.abortSignal, modelId: this.modelId },
    );
    const results = (response.results ?? [])
      .map((item) => ({ index: item.index, score: item.score }))
      .sort((a, b) => b.score - a.score);
    return {
      results: options.topN !== undefined ? results.slice(0, options.topN) : results,
      usage: { inputTokens: response.input_token_count ?? 0 },
    };
  }
}
