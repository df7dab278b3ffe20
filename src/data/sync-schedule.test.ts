import { describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { checkSchedule, nextSyncAt } from './sync-schedule.js';

const at = (iso: string) => new Date(iso);
const next = (cron: string, after: string) => nextSyncAt({ cron }, at(after)).toISOString();

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof KeelError ? error.issues?.[0]?.code : 'not a KeelError';
  }
  return undefined;
}

describe('sync schedules', () => {
  it('adds an interval to the time given', () => {
    expect(nextSyncAt({ every_seconds: 900 }, at('2026-03-01T10:00:00Z')).toISOString()).toBe(
      '2026-03-01T10:15:00.000Z',
    );
  });

  it('finds the next minute a cron expression names, in UTC', () => {
    expect(next('*/15 * * * *', '2026-03-01T10:07:30Z')).toBe('2026-03-01T10:15:00.000Z');
    expect(next('0 3 * * *', '2026-03-01T03:00:00Z')).toBe('2026-03-02T03:00:00.000Z');
    expect(next('30 9 * * 1-5', '2026-03-06T10:00:00Z')).toBe('2026-03-09T09:30:00.000Z'); // Fri → Mon
    expect(next('0 0 1 */3 *', '2026-02-10T00:00:00Z')).toBe('2026-04-01T00:00:00.000Z');
    expect(next('0 12 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z'); // leap day
    expect(next('5,35 8-9 * * 7', '2026-03-01T08:10:00Z')).toBe('2026-03-01T08:35:00.000Z'); // 7 is Sunday
    // Both day fields restricted: either matches, as in cron (the 13th, or any Friday).
    expect(next('0 0 13 * 5', '2026-03-01T00:00:00Z')).toBe('2026-03-06T00:00:00.000Z');
  });

  it('refuses malformed schedules with invalid_schedule', () => {
    for (const cron of ['* * * *', '61 * * * *', '* * * * mon', '5-1 * * * *', '*/0 * * * *', '0 0 31 2 *'])
      expect(
        codeOf(() => checkSchedule({ cron })),
        cron,
      ).toBe('invalid_schedule');
    expect(codeOf(() => checkSchedule({ every_seconds: 10 }))).toBe('invalid_schedule');
    expect(codeOf(() => checkSchedule({ every_seconds: 90.5 }))).toBe('invalid_schedule');
    expect(checkSchedule({ cron: ' 0  3 * * * ' })).toEqual({ cron: '0 3 * * *' });
  });
});
