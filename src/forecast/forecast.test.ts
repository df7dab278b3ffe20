import { describe, expect, it } from 'vitest';
import type { KeelError } from '../core/errors.js';
import {
  airPassengerMonths,
  airPassengers,
  detectSeasonality,
  fitSeries,
  forecast,
  meanAbsoluteScaledError,
  seasonalNaive,
} from './index.js';

const train = airPassengers.slice(0, 132);
const test = airPassengers.slice(132);

describe('embedded forecasters', () => {
  it('finds the yearly season of monthly airline passengers by autocorrelation', () => {
    expect(detectSeasonality([...train])).toBe(12);
  });

  it('beats seasonal-naive on the last year of AirPassengers with Holt-Winters', () => {
    const naive = seasonalNaive([...train], 12, 12).forecast;
    const hw = fitSeries('keel/holt-winters', [...train], 12).forecast;
    const naiveMase = meanAbsoluteScaledError(train, test, naive, 12);
    const hwMase = meanAbsoluteScaledError(train, test, hw, 12);
    expect(hwMase).toBeLessThan(naiveMase);
  });

  it('follows a straight line with Holt and a flat one with SES', () => {
    const line = Array.from({ length: 20 }, (_, i) => 3 + 2 * i);
    const holt = fitSeries('keel/holt', line, 3).forecast;
    holt.forEach((value, h) => expect(value).toBeCloseTo(3 + 2 * (20 + h), 0));
    const flat = fitSeries('keel/ses', new Array(10).fill(5), 2).forecast;
    expect(flat).toEqual([5, 5]);
  });
});

describe('forecast (watsonx shape)', () => {
  it('forecasts grouped columns with future timestamps on the calendar', () => {
    const months = airPassengerMonths().slice(0, 36);
    const response = forecast({
      model_id: 'keel/holt-winters',
      data: {
        month: [...months, ...months],
        route: [...months.map(() => 'a'), ...months.map(() => 'b')],
        passengers: [...airPassengers.slice(0, 36), ...airPassengers.slice(36, 72)],
      },
      schema: { timestamp_column: 'month', id_columns: ['route'], target_columns: ['passengers'] },
      parameters: { prediction_length: 3 },
    });
    expect(response.results).toHaveLength(2);
    expect(response.results[0]!.month).toEqual([
      '1952-01-01T00:00:00.000Z',
      '1952-02-01T00:00:00.000Z',
      '1952-03-01T00:00:00.000Z',
    ]);
    expect(response.results[1]!.route).toEqual(['b', 'b', 'b']);
    expect(response.results[0]!.passengers).toHaveLength(3);
  });

  it('maps watsonx model names to the embedded forecaster with a warning', () => {
    const response = forecast({
      model_id: 'ibm/granite-ttm-512-96-r2',
      data: { t: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'], y: [1, 2, 3, 4, 5] },
      schema: { timestamp_column: 't' },
      parameters: { prediction_length: 2 },
    });
    expect(response.system?.warnings[0]?.id).toBe('model_substituted');
    expect(response.results[0]!.t).toEqual(['2024-01-06T00:00:00.000Z', '2024-01-07T00:00:00.000Z']);
  });

  it('refuses too few points and uneven spacing with codes', () => {
    const attempt = (t: string[], y: number[]) => {
      try {
        forecast({ model_id: 'keel/ses', data: { t, y }, schema: { timestamp_column: 't' } });
      } catch (error) {
        return (error as KeelError).code;
      }
      return 'ok';
    };
    expect(attempt(['2024-01-01', '2024-01-02'], [1, 2])).toBe('insufficient_data');
    expect(attempt(['2024-01-01', '2024-01-02', '2024-01-05', '2024-01-06'], [1, 2, 3, 4])).toBe(
      'irregular_frequency',
    );
    expect(attempt(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'], [1, 2, 3, 4])).toBe('ok');
  });
});
