/**
 * @module prompts/price-book
 * What a run costs: USD per million input and output tokens, read from the model catalog where it
 * knows the model. Models served by the embedded llama.cpp provider run on this machine and cost
 * nothing per token; other models without a known price have no cost (null), never a made-up one.
 */
import type { RunCost } from '../api/prompts.js';
import type { ProviderRegistry } from '../models/index.js';
import { findCatalogEntry } from '../models/index.js';

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** The price of a model id (`provider:model`), or undefined when unknown. */
export type PriceLookup = (modelId: string) => ModelPrice | undefined;

/** Prices from a fixed table (tests, configuration), by full model id. */
export function tablePrices(table: Readonly<Record<string, ModelPrice>>): PriceLookup {
  return (modelId) => table[modelId];
}

/** Prices from the model catalog; local llama.cpp models cost nothing per token. */
export function catalogPrices(registry: ProviderRegistry): PriceLookup {
  return (modelId) => {
    const byId = findCatalogEntry(modelId);
    if (byId) return byId.pricePerMillion;
    const colon = modelId.indexOf(':');
    if (colon <= 0) return undefined;
    let type: string;
    try {
      type = registry.provider(modelId.slice(0, colon)).type;
    } catch {
      return undefined;
    }
    if (type !== 'llamacpp') return undefined;
    return findCatalogEntry(modelId.slice(colon + 1))?.pricePerMillion ?? { input: 0, output: 0 };
  };
}

/** The cost of one call's usage at `price`, in USD (null when the price is unknown). */
export function costOf(
  price: ModelPrice | undefined,
  usage: { inputTokens: number; outputTokens: number },
): RunCost | null {
  if (!price) return null;
  const input = (usage.inputTokens * price.input) / 1_000_000;
  const output = (usage.outputTokens * price.output) / 1_000_000;
  return { currency: 'USD', input, output, total: input + output };
}
