/**
 * @module cli/commands/prompt-runs
 * `keel prompt runs redact`: masks the Prompt Lab runs and drafts written before runs were stored
 * redacted (a project admin's one-off), a batch per call of `POST /api/v1/prompt-runs/redact`
 * until nothing is left, with a progress line on stderr and the totals on stdout (or `--json`).
 */
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { createProgress, printJson } from '../output.js';
import { connected } from './prompt-options.js';

/** Calls at most this many batches, so a server that keeps answering `remaining` cannot loop forever. */
const maxBatches = 100_000;

/** `keel prompt runs redact [--batch <n>]` */
export const redactCommand: CommandHandler = async (context, _args, options) =>
  connected(context, async (client) => {
    const limit = batchSize(options.batch);
    const io = context.io;
    const progress = createProgress(io, 'Masking stored runs and drafts', { unit: 'items' });
    const totals = { runs: 0, sessions: 0, batches: 0 };
    try {
      let remaining = true;
      while (remaining && totals.batches < maxBatches) {
        const report = await client.prompts.runs.redactHistory(limit === undefined ? {} : { limit });
        totals.runs += report.runs;
        totals.sessions += report.sessions;
        totals.batches++;
        remaining = report.remaining;
        progress.update(totals.runs + totals.sessions);
      }
      progress.stop();
    } catch (error) {
      progress.stop();
      throw error;
    }
    if (context.global.json) printJson(io, { runs: totals.runs, sessions: totals.sessions });
    else if (totals.runs + totals.sessions === 0)
      io.stdout.write('Nothing to mask: every run and draft of the project is stored under its policy.\n');
    else
      io.stdout.write(
        `Checked ${plural(totals.runs, 'run')} and ${plural(totals.sessions, 'draft')} written before redaction; ` +
          'values the policy masks are now masked, their raw values sealed.\n',
      );
    return 0;
  });

function batchSize(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    throw new KeelError('invalid_request', '--batch must be a whole number from 1 to 1000.', {
      issues: [{ code: 'out_of_range', path: ['batch'], message: 'a whole number from 1 to 1000' }],
    });
  return size;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
