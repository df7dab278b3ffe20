/**
 * @module forecast/smoothing
 * The embedded forecasters: seasonal-naive, simple exponential smoothing, Holt's linear trend and
 * additive Holt-Winters. Each fits its smoothing weights by a coarse-then-fine grid search on the
 * in-sample one-step-ahead squared error (no optimiser dependency), then extends the series.
 * Pure functions over plain number arrays: the HTTP route, the benchmark and the tests share them.
 */

export interface Fitted {
  /** The next `horizon` values. */
  forecast: number[];
  /** In-sample one-step-ahead squared error of the chosen weights (NaN for seasonal-naive). */
  sse: number;
  /** The weights chosen. */
  params: Record<string, number>;
}

/** Repeats the last full season (the last value when `period` < 2). */
export function seasonalNaive(values: number[], period: number, horizon: number): Fitted {
  const m = period >= 2 && values.length >= period ? period : 1;
  const last = values.slice(values.length - m);
  const forecast = Array.from({ length: horizon }, (_, h) => last[h % m]!);
  return { forecast, sse: Number.NaN, params: { period: m } };
}

const coarse = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

function refine(best: number): number[] {
  const out: number[] = [];
  for (let step = -4; step <= 4; step++) {
    const value = Math.round((best + step * 0.025) * 1000) / 1000;
    if (value > 0 && value < 1) out.push(value);
  }
  return out;
}

/** Grid search over up to three weights in (0, 1): coarse grid, then a finer one around the best. */
function search(
  dimensions: number,
  score: (weights: number[]) => number,
): { weights: number[]; sse: number } {
  let best = { weights: new Array<number>(dimensions).fill(0.3), sse: Number.POSITIVE_INFINITY };
  const walk = (grids: number[][], prefix: number[]) => {
    if (prefix.length === grids.length) {
      const sse = score(prefix);
      if (sse < best.sse) best = { weights: [...prefix], sse };
      return;
    }
    for (const value of grids[prefix.length]!) walk(grids, [...prefix, value]);
  };
  walk(
    Array.from({ length: dimensions }, () => coarse),
    [],
  );
  walk(
    best.weights.map((weight) => refine(weight)),
    [],
  );
  return best;
}

/** Simple exponential smoothing: a flat forecast at the smoothed level. */
export function simpleExponential(values: number[], horizon: number): Fitted {
  const run = (alpha: number) => {
    let level = values[0]!;
    let sse = 0;
    for (let t = 1; t < values.length; t++) {
      const error = values[t]! - level;
      sse += error * error;
      level += alpha * error;
    }
    return { level, sse };
  };
  const best = search(1, ([alpha]) => run(alpha!).sse);
  const { level } = run(best.weights[0]!);
  return {
    forecast: new Array<number>(horizon).fill(level),
    sse: best.sse,
    params: { alpha: best.weights[0]! },
  };
}

/** Holt's linear trend (additive, undamped). */
export function holtLinear(values: number[], horizon: number): Fitted {
  const run = (alpha: number, beta: number) => {
    let level = values[0]!;
    let trend = values[1]! - values[0]!;
    let sse = 0;
    for (let t = 1; t < values.length; t++) {
      const predicted = level + trend;
      const error = values[t]! - predicted;
      sse += error * error;
      const previous = level;
      level = predicted + alpha * error;
      trend = trend + beta * (level - previous - trend);
    }
    return { level, trend, sse };
  };
  const best = search(2, ([alpha, beta]) => run(alpha!, beta!).sse);
  const [alpha, beta] = best.weights as [number, number];
  const { level, trend } = run(alpha, beta);
  return {
    forecast: Array.from({ length: horizon }, (_, h) => level + (h + 1) * trend),
    sse: best.sse,
    params: { alpha, beta },
  };
}

/** Additive Holt-Winters with season length `period`; needs at least two full seasons. */
export function holtWintersAdditive(values: number[], period: number, horizon: number): Fitted {
  const m = period;
  const mean = (from: number, to: number) => {
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i]!;
    return sum / (to - from);
  };
  const level0 = mean(0, m);
  const trend0 = (mean(m, 2 * m) - level0) / m;
  const season0 = Array.from({ length: m }, (_, i) => values[i]! - level0);
  const run = (alpha: number, beta: number, gamma: number) => {
    let level = level0;
    let trend = trend0;
    const season = [...season0];
    let sse = 0;
    for (let t = m; t < values.length; t++) {
      const s = season[t % m]!;
      const predicted = level + trend + s;
      const error = values[t]! - predicted;
      sse += error * error;
      const previous = level;
      level = alpha * (values[t]! - s) + (1 - alpha) * (level + trend);
      trend = beta * (level - previous) + (1 - beta) * trend;
      season[t % m] = gamma * (values[t]! - level) + (1 - gamma) * s;
    }
    return { level, trend, season, sse };
  };
  const best = search(3, ([alpha, beta, gamma]) => run(alpha!, beta!, gamma!).sse);
  const [alpha, beta, gamma] = best.weights as [number, number, number];
  const { level, trend, season } = run(alpha, beta, gamma);
  const n = values.length;
  return {
    forecast: Array.from({ length: horizon }, (_, h) => level + (h + 1) * trend + season[(n + h) % m]!),
    sse: best.sse,
    params: { alpha, beta, gamma, period: m },
  };
}
