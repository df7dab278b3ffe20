/**
 * @module forecast/timestamps
 * The spacing of a series' timestamps and the timestamps that follow it. A series is regular when
 * every step is the same number of milliseconds, or the same number of calendar months (month
 * ends and month starts, quarters and years included). Anything else is `irregular_frequency`.
 */
import { KeelError } from '../core/errors.js';

export type Step = { kind: 'ms'; ms: number } | { kind: 'months'; months: number; endOfMonth: boolean };

function parse(value: unknown, index: number, column: string): number {
  const time = typeof value === 'number' ? value : Date.parse(String(value));
  if (!Number.isFinite(time)) {
    throw new KeelError('invalid_request', `Timestamp ${index} of "${column}" is not a date.`, {
      issues: [{ code: 'invalid_timestamp', path: ['data', column, index], message: 'not a date or time' }],
    });
  }
  return time;
}

const isMonthEnd = (date: Date) => new Date(date.getTime() + 86_400_000).getUTCDate() === 1;
const monthIndex = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();

function irregular(column: string, at: number, detail: string): KeelError {
  return new KeelError(
    'irregular_frequency',
    `The timestamps in "${column}" are not evenly spaced (${detail}); resample the series to one frequency first.`,
    { issues: [{ code: 'irregular_frequency', path: ['data', column, at], message: detail }] },
  );
}

/** Parses the timestamps and finds their common step. */
export function stepOf(raw: unknown[], column: string): { times: number[]; step: Step } {
  const times = raw.map((value, index) => parse(value, index, column));
  if (times.length < 2) return { times, step: { kind: 'ms', ms: 86_400_000 } };
  const first = times[1]! - times[0]!;
  if (first <= 0) throw irregular(column, 1, 'timestamps must increase');
  if (times.every((time, i) => i === 0 || time - times[i - 1]! === first))
    return { times, step: { kind: 'ms', ms: first } };
  const dates = times.map((time) => new Date(time));
  const months = monthIndex(dates[1]!) - monthIndex(dates[0]!);
  const endOfMonth = dates.every(isMonthEnd);
  const sameDay = dates.every((date) => date.getUTCDate() === dates[0]!.getUTCDate());
  if (months > 0 && (endOfMonth || sameDay)) {
    for (let i = 1; i < dates.length; i++) {
      if (monthIndex(dates[i]!) - monthIndex(dates[i - 1]!) !== months)
        throw irregular(column, i, `step ${i} is not ${months} month(s)`);
    }
    return { times, step: { kind: 'months', months, endOfMonth } };
  }
  const bad = times.findIndex((time, i) => i > 0 && time - times[i - 1]! !== first);
  throw irregular(column, bad, `step ${bad} differs from the first step`);
}

/** The `count` timestamps after `last`, as ISO strings. */
export function nextTimes(last: number, step: Step, count: number): string[] {
  const out: string[] = [];
  const start = new Date(last);
  for (let h = 1; h <= count; h++) {
    if (step.kind === 'ms') {
      out.push(new Date(last + h * step.ms).toISOString());
      continue;
    }
    const target = monthIndex(start) + h * step.months;
    const year = Math.floor(target / 12);
    const month = target % 12;
    const day = step.endOfMonth
      ? new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
      : Math.min(start.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
    const date = new Date(
      Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()),
    );
    out.push(date.toISOString());
  }
  return out;
}

/** The season length the calendar suggests for a step (monthly 12, quarterly 4, daily 7, hourly 24). */
export function calendarSeason(step: Step): number | undefined {
  if (step.kind === 'months') return step.months === 1 ? 12 : step.months === 3 ? 4 : undefined;
  if (step.ms === 86_400_000) return 7;
  if (step.ms === 3_600_000) return 24;
  if (step.ms === 900_000) return 96;
  if (step.ms === 604_800_000) return 52;
  return undefined;
}
