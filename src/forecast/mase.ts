/**
 * @module forecast/mase
 * Mean absolute scaled error (Hyndman & Koehler, 2006): the forecast's mean absolute error over
 * the in-sample mean absolute error of the seasonal-naive forecast with season `period`.
 */
export function meanAbsoluteScaledError(
  train: readonly number[],
  actual: readonly number[],
  predicted: readonly number[],
  period: number,
): number {
  const m = Math.max(1, period);
  let scale = 0;
  for (let t = m; t < train.length; t++) scale += Math.abs(train[t]! - train[t - m]!);
  scale /= train.length - m;
  let error = 0;
  for (let h = 0; h < actual.length; h++) error += Math.abs(actual[h]! - predicted[h]!);
  return error / actual.length / scale;
}
