/**
 * @module rag/rerank/built-in
 * Keel's built-in rerankers, which need no model and work offline: `keel/lexical-rerank` and
 * `keel/lexical-ngram-rerank`. One shared instance of each per process (their caches of analysed
 * texts are worth keeping across calls). Callers resolve a rerank model id here first, then on the
 * provider registry (`provider:model`).
 */
import type { RerankModelV1 } from '../../spec/rerank-model.js';
import { LEXICAL_RERANK_MODEL, LexicalReranker } from './lexical-reranker.js';
import { NGRAM_FUSION_RERANK_MODEL, NgramFusionReranker } from './ngram-fusion-reranker.js';

let builtIn: Map<string, RerankModelV1> | undefined;

/** The built-in reranker with this id, or undefined when the id names another model. */
export function builtInRerankModel(id: string): RerankModelV1 | undefined {
  if (!builtIn) {
    const lexical = new LexicalReranker();
    builtIn = new Map<string, RerankModelV1>([
      [LEXICAL_RERANK_MODEL, lexical],
      [NGRAM_FUSION_RERANK_MODEL, new NgramFusionReranker({ lexical })],
    ]);
  }
  return builtIn.get(id);
}
