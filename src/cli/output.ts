/**
 * @module cli/output
 * How commands talk to people and scripts: tables or `--json`, progress bars and spinners on a
 * terminal (plain, occasional lines when stderr is not one), errors formatted once.
 */
import cliProgress from 'cli-progress';
import ora from 'ora';
import { exitCodeOf } from '../core/codes.js';
import { type KeelError, toKeelError } from '../core/errors.js';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const processIO: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
};

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A list for `--json` as it is, for people as a table of `row(item)`. */
export function printRows<T>(
  io: CliIO,
  json: boolean | undefined,
  items: readonly T[],
  row: (item: T) => Record<string, unknown>,
): void {
  if (json) printJson(io, items);
  else printTable(io, items.map(row));
}

/** A plain text table: columns sized to content, no borders. */
export function printTable(io: CliIO, rows: Record<string, unknown>[], columns?: string[]): void {
  if (rows.length === 0) {
    io.stdout.write('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (value: unknown): string =>
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  const widths = cols.map((col) =>
    Math.min(60, Math.max(col.length, ...rows.map((row) => displayWidth(cell(row[col]))))),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => pad(value, widths[i]!))
      .join('  ')
      .trimEnd();
  io.stdout.write(`${line(cols.map((col) => col.toUpperCase()))}\n`);
  for (const row of rows)
    io.stdout.write(
      `${line(cols.map((col) => truncate(cell(row[col]), widths[col === undefined ? 0 : cols.indexOf(col)]!)))}\n`,
    );
}

/** Terminal columns a string occupies (Hangul and other wide characters take two). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    width +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xff00 && code <= 0xff60)
        ? 2
        : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const char of text) {
    if (displayWidth(out + char) > width - 1) break;
    out += char;
  }
  return `${out}…`;
}

export interface Progress {
  /** Sets the total when it becomes known (bytes, items). */
  setTotal(total: number): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(finalMessage?: string): void;
}

/**
 * A progress bar on a terminal; on a pipe, a line at most every two seconds, so logs stay readable.
 */
export function createProgress(
  io: CliIO,
  label: string,
  options: { total?: number; unit?: 'bytes' | 'items' } = {},
): Progress {
  const unit = options.unit ?? 'items';
  const format = (value: number) => (unit === 'bytes' ? formatBytes(value) : String(value));
  if (io.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.stderr as NodeJS.WritableStream as never,
        format: `${label} [{bar}] {percentage}% | {done}/{all} | {speed} | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    let total = options.total ?? 0;
    bar.start(total, 0, { done: format(0), all: total ? format(total) : '?', speed: '' });
    return {
      setTotal(value) {
        total = value;
        bar.setTotal(value);
      },
      update(value, payload) {
        const seconds = Math.max(0.001, (Date.now() - started) / 1000);
        bar.update(value, {
          done: format(value),
          all: total ? format(total) : '?',
          speed: `${format(value / seconds)}/s`,
          ...payload,
        });
      },
      stop(finalMessage) {
        bar.stop();
        if (finalMessage) io.stderr.write(`${finalMessage}\n`);
      },
    };
  }
  let total = options.total ?? 0;
  let lastLine = 0;
  return {
    setTotal(value) {
      total = value;
    },
    update(value) {
      const now = Date.now();
      if (now - lastLine < 2000) return;
      lastLine = now;
      io.stderr.write(
        `${label}: ${format(value)}${total ? ` / ${format(total)} (${Math.floor((value / total) * 100)}%)` : ''}\n`,
      );
    },
    stop(finalMessage) {
      if (finalMessage) io.stderr.write(`${finalMessage}\n`);
    },
  };
}

/** A spinner for work whose size is unknown; silent off a terminal. */
export async function withSpinner<T>(io: CliIO, text: string, work: () => Promise<T>): Promise<T> {
  if (!io.stderr.isTTY) return work();
  const spinner = ora({ text, stream: io.stderr as never }).start();
  try {
    const result = await work();
    spinner.stop();
    return result;
  } catch (error) {
    spinner.stop();
    throw error;
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Prints an error for people (or as JSON) and returns the exit code. Never a stack trace. */
export function reportError(io: CliIO, error: unknown, json: boolean): number {
  const keelError: KeelError = toKeelError(error);
  if (json) {
    io.stderr.write(`${JSON.stringify({ error: keelError.toJSON() })}\n`);
  } else {
    io.stderr.write(`error [${keelError.code}]: ${keelError.message}\n`);
    for (const issue of keelError.issues ?? [])
      io.stderr.write(`  - ${issue.path.join('.') || '(input)'}: ${issue.message}\n`);
    const hint = keelError.data?.hint;
    if (typeof hint === 'string') io.stderr.write(`  hint: ${hint}\n`);
  }
  return exitCodeOf(keelError.code);
}
