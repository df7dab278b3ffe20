/**
 * @module models/providers/llamacpp/llamacpp-rerank-model
 * `RerankModelV1` over a local cross-encoder GGUF (bge-reranker-v2-m3 and the like): scores each
 * document against the query with llama.cpp's ranking head. Models without one answer
 * `not_implemented`.
 */
import { KeelError } from '../../../core/errors.js';
import type { RerankModelV1, RerankOptions, RerankResult } from '../../../spec/rerank-model.js';
import type { LlamaCppHost } from './llamacpp-host.js';

export class LlamaCppRerankModel implements RerankModelV1 {
  readonly specificationVersion = 'v1' as const;

  constructor(
    readonly modelId: string,
    private readonly host: LlamaCppHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  async doRerank(options: RerankOptions): Promise<RerankResult> {
    const lease = await this.host.runtime.acquire(this.modelId, this.host.fileFor(this.modelId));
    try {
      const context = await lease.model.rankingContext();
      if (options.abortSignal?.aborted) throw new KeelError('client_closed', 'The request was cancelled.');
      const scores = await context.rankAll(options.query, options.documents);
      const inputTokens = options.documents.reduce(
        (sum, document) => sum + context.calculateInputLength(options.query, document),
        0,
      );
      const results = scores
        .map((score, index) => ({ index, score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, options.topN ?? options.documents.length);
      return { results, usage: { inputTokens } };
    } finally {
      lease.release();
    }
  }
}
