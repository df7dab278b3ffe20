/**
 * @module forecast/forecast
 * watsonx-shaped forecasting over columnar data (`data: { date: [...], sales: [...] }` with a
 * `schema` naming the timestamp, id and target columns) on the embedded forecasters. Rows are
 * grouped by the id columns; every group must be evenly spaced and long enough. watsonx's model
 * names (the TinyTimeMixer family) map to the best embedded forecaster, with a warning saying so.
 *
 * @example
 * forecast({ model_id: 'keel/holt-winters', data: { month, passengers },
 *   schema: { timestamp_column: 'month', target_columns: ['passengers'] }, parameters: { prediction_length: 12 } });
 */
import { KeelError } from '../core/errors.js';
import { detectSeasonality } from './seasonality.js';
import {
  type Fitted,
  holtLinear,
  holtWintersAdditive,
  seasonalNaive,
  simpleExponential,
} from './smoothing.js';
import { calendarSeason, nextTimes, stepOf } from './timestamps.js';

export interface ForecastRequest {
  model_id: string;
  data: Record<string, unknown[]>;
  schema: {
    timestamp_column: string;
    id_columns?: string[] | undefined;
    target_columns?: string[] | undefined;
    freq?: string | undefined;
  };
  parameters?: { prediction_length?: number | undefined } | undefined;
}

export interface ForecastResponse {
  model_id: string;
  created_at: string;
  results: Record<string, unknown[]>[];
  system?: { warnings: { message: string; id: string }[] };
}

/** The embedded models, by id. */
export const embeddedForecasters = {
  'keel/seasonal-naive': 'Repeats the last season (the last value when there is none)',
  'keel/ses': 'Simple exponential smoothing (ETS A,N,N)',
  'keel/holt': 'Holt linear trend (ETS A,A,N)',
  'keel/holt-winters':
    'Additive Holt-Winters with the season length found by autocorrelation; Holt when there is no season',
} as const;

export type EmbeddedForecaster = keyof typeof embeddedForecasters;

/** watsonx's forecasting models, answered by the best embedded forecaster. */
const watsonxNames = /^ibm\/granite-ttm-/;

export const MIN_POINTS = 4;
export const MAX_PREDICTION_LENGTH = 2_000;

export function isEmbeddedForecaster(modelId: string): boolean {
  return Object.hasOwn(embeddedForecasters, modelId) || watsonxNames.test(modelId);
}

/** Fits one series with the named model. */
export function fitSeries(
  model: EmbeddedForecaster,
  values: number[],
  horizon: number,
  seasonHint?: number,
): Fitted & { model: EmbeddedForecaster } {
  if (model === 'keel/seasonal-naive') {
    const period = detectSeasonality(values, seasonHint);
    return { ...seasonalNaive(values, period, horizon), model };
  }
  if (model === 'keel/ses') return { ...simpleExponential(values, horizon), model };
  if (model === 'keel/holt') return { ...holtLinear(values, horizon), model };
  const period = detectSeasonality(values, seasonHint);
  if (period >= 2 && values.length >= 2 * period)
    return { ...holtWintersAdditive(values, period, horizon), model };
  return { ...holtLinear(values, horizon), model: 'keel/holt' };
}

function column(request: ForecastRequest, name: string, path: (string | number)[]): unknown[] {
  const values = request.data[name];
  if (!Array.isArray(values)) {
    throw new KeelError('invalid_request', `The data has no column "${name}".`, {
      issues: [{ code: 'missing_column', path, message: `no column "${name}" in data` }],
    });
  }
  return values;
}

export function forecast(request: ForecastRequest, now = new Date()): ForecastResponse {
  const warnings: { message: string; id: string }[] = [];
  let model: EmbeddedForecaster;
  if (Object.hasOwn(embeddedForecasters, request.model_id)) model = request.model_id as EmbeddedForecaster;
  else if (watsonxNames.test(request.model_id)) {
    model = 'keel/holt-winters';
    warnings.push({
      id: 'model_substituted',
      message: `${request.model_id} is not available offline; Keel's embedded keel/holt-winters forecaster answered instead.`,
    });
  } else {
    throw new KeelError('model_not_found', `No forecasting model "${request.model_id}".`, {
      issues: [{ code: 'unknown_model', path: ['model_id'], message: 'unknown forecasting model' }],
      data: { hint: `Embedded forecasters: ${Object.keys(embeddedForecasters).join(', ')}.` },
    });
  }
  const horizon = request.parameters?.prediction_length ?? 10;
  const { schema } = request;
  const timestamps = column(request, schema.timestamp_column, ['schema', 'timestamp_column']);
  const idColumns = schema.id_columns ?? [];
  const targets =
    schema.target_columns ??
    Object.keys(request.data).filter((name) => name !== schema.timestamp_column && !idColumns.includes(name));
  if (targets.length === 0) {
    throw new KeelError('invalid_request', 'Name at least one target column.', {
      issues: [{ code: 'missing_target', path: ['schema', 'target_columns'], message: 'no target column' }],
    });
  }
  const ids = idColumns.map((name, i) => column(request, name, ['schema', 'id_columns', i]));
  const targetValues = targets.map((name, i) => column(request, name, ['schema', 'target_columns', i]));
  for (const [i, values] of [...ids, ...targetValues].entries()) {
    if (values.length !== timestamps.length) {
      const name = [...idColumns, ...targets][i]!;
      throw new KeelError('invalid_request', `Column "${name}" has a different length from the timestamps.`, {
        issues: [
          { code: 'column_length', path: ['data', name], message: `expected ${timestamps.length} values` },
        ],
      });
    }
  }
  // Group rows by their id tuple, in first-seen order.
  const groups = new Map<string, number[]>();
  for (let row = 0; row < timestamps.length; row++) {
    const key = JSON.stringify(ids.map((values) => values[row]));
    const rows = groups.get(key);
    if (rows) rows.push(row);
    else groups.set(key, [row]);
  }
  const results: Record<string, unknown[]>[] = [];
  for (const [key, rows] of groups) {
    const label = idColumns.length ? ` for ${key}` : '';
    if (rows.length < MIN_POINTS) {
      throw new KeelError(
        'insufficient_data',
        `The series${label} has ${rows.length} point(s); forecasting needs at least ${MIN_POINTS}.`,
        {
          issues: [
            {
              code: 'too_few_points',
              path: ['data', schema.timestamp_column],
              message: `${rows.length} < ${MIN_POINTS}`,
            },
          ],
        },
      );
    }
    const { times, step } = stepOf(
      rows.map((row) => timestamps[row]),
      schema.timestamp_column,
    );
    const future = nextTimes(times[times.length - 1]!, step, horizon);
    const idValues = JSON.parse(key) as unknown[];
    const result: Record<string, unknown[]> = { [schema.timestamp_column]: future };
    idColumns.forEach((name, i) => {
      result[name] = new Array(horizon).fill(idValues[i]);
    });
    targets.forEach((name, t) => {
      const values = rows.map((row, index) => {
        const value = Number(targetValues[t]![row]);
        if (!Number.isFinite(value)) {
          throw new KeelError('invalid_request', `Value ${index} of "${name}" is not a number.`, {
            issues: [{ code: 'not_a_number', path: ['data', name, row], message: 'expected a number' }],
          });
        }
        return value;
      });
      result[name] = fitSeries(model, values, horizon, calendarSeason(step)).forecast;
    });
    results.push(result);
  }
  return {
    model_id: request.model_id,
    created_at: now.toISOString(),
    results,
    ...(warnings.length ? { system: { warnings } } : {}),
  };
}
