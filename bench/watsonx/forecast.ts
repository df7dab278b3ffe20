/**
 * @module bench/watsonx/forecast
 * The embedded forecasters behind `POST /ml/v1/time_series/forecast`, scored by MASE (mean
 * absolute scaled error, seasonal-naive in-sample scaling) on held-out horizons beside the
 * seasonal-naive baseline. No time-series set is in the shared datasets, so the series are the
 * classic AirPassengers (Box & Jenkins 1976, Series G; embedded in src/forecast/data) and
 * deterministic generated series (seeded PRNG). Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/watsonx/forecast.ts
 */
import {
  airPassengers,
  detectSeasonality,
  type EmbeddedForecaster,
  fitSeries,
  meanAbsoluteScaledError,
} from '../../src/forecast/index.js';
import { random } from '../rag/metrics.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Series {
  name: string;
  values: number[];
  period: number;
  horizon: number;
}

function generated(): Series[] {
  const rand = random(17);
  const noise = () => (rand() + rand() + rand() - 1.5) * 2;
  const daily = Array.from(
    { length: 7 * 30 },
    (_, t) => 100 + 0.3 * t + 12 * Math.sin((2 * Math.PI * t) / 7) + noise() * 3,
  );
  const hourly = Array.from(
    { length: 24 * 21 },
    (_, t) => 50 + 20 * Math.max(0, Math.sin((2 * Math.PI * (t % 24)) / 24 - 0.5)) + noise() * 2,
  );
  let level = 200;
  const walk = Array.from({ length: 150 }, () => (level += noise() * 4));
  const trend = Array.from({ length: 80 }, (_, t) => 20 + 1.5 * t + noise() * 3);
  return [
    { name: 'generated daily, weekly season + trend', values: daily, period: 7, horizon: 14 },
    { name: 'generated hourly, daily season', values: hourly, period: 24, horizon: 48 },
    { name: 'generated random walk', values: walk, period: 1, horizon: 10 },
    { name: 'generated linear trend', values: trend, period: 1, horizon: 10 },
  ];
}

const models: EmbeddedForecaster[] = ['keel/seasonal-naive', 'keel/ses', 'keel/holt', 'keel/holt-winters'];

function main(): void {
  const sets: Series[] = [
    {
      name: 'AirPassengers 1949–1960 (last 12 months held out)',
      values: [...airPassengers],
      period: 12,
      horizon: 12,
    },
    ...generated(),
  ];
  const report: Record<string, Record<string, number> & { detected_period: number }> = {};
  log('| series | detected season | seasonal-naive | SES | Holt | Holt-Winters |');
  log('|---|---|---|---|---|---|');
  for (const set of sets) {
    const train = set.values.slice(0, set.values.length - set.horizon);
    const test = set.values.slice(set.values.length - set.horizon);
    const row: Record<string, number> & { detected_period: number } = {
      detected_period: detectSeasonality(train),
    };
    for (const model of models) {
      const forecast = fitSeries(model, train, set.horizon).forecast;
      row[model] = Math.round(meanAbsoluteScaledError(train, test, forecast, set.period) * 1000) / 1000;
    }
    report[set.name] = row;
    log(
      `| ${set.name} | ${row.detected_period} | ${models.map((model) => row[model]!.toFixed(3)).join(' | ')} |`,
    );
  }
  log(JSON.stringify({ bench: 'watsonx-forecast', metric: 'MASE (lower is better)', report }));
}

main();
