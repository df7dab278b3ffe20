/**
 * @module tuning/span-metrics
 * Entity spans of BIO tag sequences and their span-level precision, recall and F1 (exact type
 * and edges), overall and per type: how a token tagger is scored.
 */

export interface SpanMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Gold spans. */
  support: number;
}

export interface SpanReport extends SpanMetrics {
  perType: Record<string, SpanMetrics>;
}

/** Entity spans of a BIO (or plain IO) tag sequence, token indices, end exclusive. */
export function bioSpans(tags: readonly string[]): { type: string; start: number; end: number }[] {
  const spans: { type: string; start: number; end: number }[] = [];
  let open: { type: string; start: number } | null = null;
  const close = (end: number) => {
    if (open) spans.push({ ...open, end });
    open = null;
  };
  tags.forEach((tag, i) => {
    if (tag === 'O' || tag === '') {
      close(i);
      return;
    }
    const begins = tag.startsWith('B-');
    const type = /^[BI]-/.test(tag) ? tag.slice(2) : tag;
    if (begins || !open || (open as { type: string }).type !== type) {
      close(i);
      open = { type, start: i };
    }
  });
  close(tags.length);
  return spans;
}

/** Span-level precision, recall and F1 (exact type and edges), overall and per type. */
export function spanReport(gold: readonly string[][], predicted: readonly string[][]): SpanReport {
  const counts = new Map<string, { tp: number; gold: number; predicted: number }>();
  const of = (type: string) => {
    const known = counts.get(type);
    if (known) return known;
    const fresh = { tp: 0, gold: 0, predicted: 0 };
    counts.set(type, fresh);
    return fresh;
  };
  gold.forEach((tags, s) => {
    const g = bioSpans(tags);
    const p = bioSpans(predicted[s] ?? []);
    const keys = new Set(g.map((x) => `${x.type}:${x.start}:${x.end}`));
    for (const x of g) of(x.type).gold++;
    for (const x of p) {
      of(x.type).predicted++;
      if (keys.has(`${x.type}:${x.start}:${x.end}`)) of(x.type).tp++;
    }
  });
  const metrics = (c: { tp: number; gold: number; predicted: number }): SpanMetrics => {
    const precision = c.predicted === 0 ? 0 : c.tp / c.predicted;
    const recall = c.gold === 0 ? 0 : c.tp / c.gold;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support: c.gold };
  };
  const total = { tp: 0, gold: 0, predicted: 0 };
  for (const c of counts.values()) {
    total.tp += c.tp;
    total.gold += c.gold;
    total.predicted += c.predicted;
  }
  const perType = Object.fromEntries(
    [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([t, c]) => [t, metrics(c)]),
  );
  return { ...metrics(total), perType };
}
