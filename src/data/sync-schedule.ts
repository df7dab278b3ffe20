/**
 * @module data/sync-schedule
 * When a RAG source is refreshed: every N seconds (at least a minute apart) or on a cron-like
 * expression in UTC (`minute hour day-of-month month day-of-week`, each `*`, a number, a range
 * `a-b`, a step `*\/n` or `a-b/n`, or a comma list of those; day-of-week 0–6 from Sunday, 7 is
 * Sunday too). When both day fields are restricted a day matching either runs, as cron does.
 */
import { KeelError } from '../core/errors.js';

export type SyncSchedule = { every_seconds: number } | { cron: string };

/** Shortest interval between two scheduled syncs. */
export const MIN_SYNC_INTERVAL_SECONDS = 60;
/** Longest interval (a year): a schedule that never comes due is refused. */
const MAX_SYNC_INTERVAL_SECONDS = 366 * 24 * 3600;

interface CronField {
  values: Set<number>;
  /** `*` (unrestricted), for the day-of-month / day-of-week rule. */
  any: boolean;
}

interface Cron {
  minute: CronField;
  hour: CronField;
  day: CronField;
  month: CronField;
  weekday: CronField;
}

const FIELDS: ReadonlyArray<{ name: keyof Cron; min: number; max: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'weekday', min: 0, max: 7 },
];

function badSchedule(message: string): never {
  throw new KeelError('invalid_request', message, {
    issues: [{ code: 'invalid_schedule', path: ['schedule'], message }],
  });
}

function parseField(text: string, min: number, max: number, name: string): CronField {
  const values = new Set<number>();
  const number = (part: string) => {
    if (!/^\d{1,2}$/.test(part)) badSchedule(`The cron ${name} field has "${part}", not a number.`);
    const value = Number(part);
    if (value < min || value > max) badSchedule(`The cron ${name} field takes ${min}–${max}, not ${value}.`);
    return value;
  };
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) badSchedule(`The cron ${name} field has a malformed step "${item}".`);
    const step = stepText === undefined ? 1 : number(stepText);
    if (step < 1) badSchedule(`The cron ${name} field has a step of 0.`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = number(a);
      to = number(b);
      if (from > to) badSchedule(`The cron ${name} field has a backwards range "${range}".`);
    } else {
      from = number(range);
      to = stepText === undefined ? from : max;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return { values, any: text === '*' };
}

function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    badSchedule('A cron schedule has five fields: minute hour day-of-month month day-of-week.');
  }
  const cron = {} as Cron;
  FIELDS.forEach((field, index) => {
    cron[field.name] = parseField(parts[index]!, field.min, field.max, field.name);
  });
  if (cron.weekday.values.has(7)) cron.weekday.values.add(0);
  return cron;
}

function dayMatches(cron: Cron, at: Date): boolean {
  const day = cron.day.values.has(at.getUTCDate());
  const weekday = cron.weekday.values.has(at.getUTCDay());
  if (cron.day.any) return cron.weekday.any || weekday;
  if (cron.weekday.any) return day;
  return day || weekday;
}

/** The first minute after `after` that the cron expression names, or null within five years. */
function nextCron(cron: Cron, after: Date): Date | null {
  const at = new Date(after.getTime());
  at.setUTCSeconds(0, 0);
  at.setUTCMinutes(at.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
  while (at.getTime() <= limit) {
    if (!cron.month.values.has(at.getUTCMonth() + 1)) {
      at.setUTCMonth(at.getUTCMonth() + 1, 1);
      at.setUTCHours(0, 0);
    } else if (!dayMatches(cron, at)) {
      at.setUTCDate(at.getUTCDate() + 1);
      at.setUTCHours(0, 0);
    } else if (!cron.hour.values.has(at.getUTCHours())) {
      at.setUTCHours(at.getUTCHours() + 1, 0);
    } else if (!cron.minute.values.has(at.getUTCMinutes())) {
      at.setUTCMinutes(at.getUTCMinutes() + 1);
    } else {
      return at;
    }
  }
  return null;
}

/** Checks a schedule (coded `invalid_schedule` errors); returns it normalised. */
export function checkSchedule(schedule: SyncSchedule): SyncSchedule {
  if ('every_seconds' in schedule) {
    const seconds = schedule.every_seconds;
    if (
      !Number.isInteger(seconds) ||
      seconds < MIN_SYNC_INTERVAL_SECONDS ||
      seconds > MAX_SYNC_INTERVAL_SECONDS
    ) {
      badSchedule(
        `A sync interval is a whole number of seconds from ${MIN_SYNC_INTERVAL_SECONDS} to ${MAX_SYNC_INTERVAL_SECONDS}.`,
      );
    }
    return { every_seconds: seconds };
  }
  const cron = schedule.cron.trim().replace(/\s+/g, ' ');
  if (!nextCron(parseCron(cron), new Date())) badSchedule('This cron schedule never comes due.');
  return { cron };
}

/** When a source on `schedule` is next due after `after`. */
export function nextSyncAt(schedule: SyncSchedule, after: Date): Date {
  if ('every_seconds' in schedule) return new Date(after.getTime() + schedule.every_seconds * 1000);
  return nextCron(parseCron(schedule.cron), after) ?? badSchedule('This cron schedule never comes due.');
}
