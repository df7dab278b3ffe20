/**
 * @module bench/rag/metrics
 * Retrieval metrics with one gold document per question, latency percentiles, and a heap
 * measurement that forces garbage collection first.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface RankMetrics {
  recall1: number;
  recall5: number;
  recall10: number;
  mrr10: number;
}

/** Accumulates the rank (0-based, -1 when absent) of the gold document for each question. */
export class RankAccumulator {
  #ranks: number[] = [];
  add(rank: number): void {
    this.#ranks.push(rank);
  }
  result(): RankMetrics {
    const n = this.#ranks.length || 1;
    const within = (k: number) => this.#ranks.filter((rank) => rank >= 0 && rank < k).length / n;
    const mrr = this.#ranks.reduce((sum, rank) => sum + (rank >= 0 && rank < 10 ? 1 / (rank + 1) : 0), 0) / n;
    const round = (value: number) => Math.round(value * 10_000) / 10_000;
    return {
      recall1: round(within(1)),
      recall5: round(within(5)),
      recall10: round(within(10)),
      mrr10: round(mrr),
    };
  }
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** Heap plus array buffers after a full collection, in bytes. */
export function usedMemory(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Deterministic PRNG (mulberry32) so synthetic corpora are the same every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
