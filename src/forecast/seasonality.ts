/**
 * @module forecast/seasonality
 * Season length by autocorrelation: the series is first-differenced (so a trend does not look like
 * a long season), then the lag with the highest autocorrelation that is a local peak above a
 * threshold wins. A calendar hint (12 for monthly data, 7 for daily, 24 for hourly …) is preferred
 * when its own autocorrelation is close to the best.
 */

function autocorrelation(values: number[], lag: number, mean: number, variance: number): number {
  let sum = 0;
  for (let t = lag; t < values.length; t++) sum += (values[t]! - mean) * (values[t - lag]! - mean);
  return sum / variance;
}

/** The season length, or 1 when the series shows none. Needs two full seasons of data. */
export function detectSeasonality(values: number[], hint?: number): number {
  if (values.length < 8) return 1;
  const diffs = values.slice(1).map((value, i) => value - values[i]!);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const variance = diffs.reduce((a, b) => a + (b - mean) ** 2, 0);
  if (variance === 0) return 1;
  const maxLag = Math.min(Math.floor(values.length / 2), 400);
  const acf = [1];
  for (let lag = 1; lag <= maxLag; lag++) acf.push(autocorrelation(diffs, lag, mean, variance));
  let best = 1;
  let bestValue = 0.3;
  for (let lag = 2; lag < maxLag; lag++) {
    const value = acf[lag]!;
    if (value > bestValue && value >= acf[lag - 1]! && value >= acf[lag + 1]!) {
      best = lag;
      bestValue = value;
    }
  }
  if (
    hint &&
    hint >= 2 &&
    hint <= maxLag &&
    best !== hint &&
    acf[hint]! > 0.3 &&
    acf[hint]! >= bestValue - 0.1
  )
    return hint;
  return best;
}
