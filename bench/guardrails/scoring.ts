/**
 * @module bench/guardrails/scoring
 * Precision, recall and F1 from counts, and span matching: a predicted span counts when it
 * overlaps a gold span of the same type (each gold span matched once).
 */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export const emptyCounts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

export function prf(counts: Counts): { precision: number; recall: number; f1: number; support: number } {
  const precision = counts.tp + counts.fp ? counts.tp / (counts.tp + counts.fp) : 1;
  const recall = counts.tp + counts.fn ? counts.tp / (counts.tp + counts.fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support: counts.tp + counts.fn };
}

export interface TypedSpan {
  type: string;
  start: number;
  end: number;
}

/** Adds one sentence's matches to per-type counts, for the types in `scored`. */
export function matchSpans(
  gold: TypedSpan[],
  predicted: TypedSpan[],
  scored: ReadonlySet<string>,
  counts: Map<string, Counts>,
): void {
  const used = new Set<number>();
  const get = (type: string) => {
    let entry = counts.get(type);
    if (!entry) {
      entry = emptyCounts();
      counts.set(type, entry);
    }
    return entry;
  };
  for (const span of predicted) {
    if (!scored.has(span.type)) continue;
    const index = gold.findIndex(
      (candidate, position) =>
        !used.has(position) &&
        candidate.type === span.type &&
        span.start < candidate.end &&
        span.end > candidate.start,
    );
    if (index >= 0) {
      used.add(index);
      get(span.type).tp++;
    } else get(span.type).fp++;
  }
  gold.forEach((span, position) => {
    if (scored.has(span.type) && !used.has(position)) get(span.type).fn++;
  });
}

export const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
