/**
 * @module cli/commands/tune
 * `keel tune head --dataset file.jsonl --text-field text --label-field label --name <head>` reads
 * labelled lines, starts a `tuning.head` job, follows it to the end and prints the head's
 * validation metrics.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { printJson } from '../output.js';

interface JobView {
  id: string;
  status: string;
  result?: { name: string; version: number; accuracy: number; macroF1: number; bestEpoch: number } | null;
  error?: { code: string; message: string } | null;
}

function readExamples(text: string, textField: string, labelField: string) {
  const examples: { text: string; label: string }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new KeelError('invalid_dataset', `Line ${i + 1} is not JSON.`, {
        issues: [{ code: 'invalid_json', path: ['dataset', i + 1], message: 'not JSON' }],
      });
    }
    const value = row[textField];
    const label = row[labelField];
    if (typeof value !== 'string' || label === undefined || label === null || label === '') {
      throw new KeelError('invalid_dataset', `Line ${i + 1} lacks "${textField}" or "${labelField}".`, {
        issues: [{ code: 'missing_field', path: ['dataset', i + 1], message: 'text or label missing' }],
      });
    }
    examples.push({ text: value, label: String(label) });
  });
  return examples;
}

export const headCommand: CommandHandler = async (context, _args, options) => {
  if (!options.dataset) {
    throw new KeelError('invalid_request', 'Name the labelled file with --dataset <file.jsonl>.', {
      issues: [{ code: 'missing_option', path: ['dataset'], message: '--dataset is required' }],
    });
  }
  const file = String(options.dataset);
  const examples = readExamples(
    await readFile(file, 'utf8'),
    String(options.textField ?? 'text'),
    String(options.labelField ?? 'label'),
  );
  const name = String(
    options.name ??
      path
        .basename(file)
        .replace(/\.[^.]*$/, '')
        .toLowerCase(),
  );
  const seed = numberOption(options.seed, '--seed');
  const maxFpr = numberOption(options.maxFpr, '--max-fpr');
  return withConnection(context, async ({ client }) => {
    let job = await client.request<JobView>('POST', '/api/v1/tuning/jobs', {
      body: {
        type: 'head',
        name,
        examples,
        source: path.basename(file),
        options: {
          ...(seed === undefined ? {} : { seed }),
          ...(options.positiveLabel ? { positive_label: String(options.positiveLabel) } : {}),
          ...(maxFpr === undefined ? {} : { max_false_positive_rate: maxFpr }),
        },
      },
    });
    while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await client.request<JobView>('GET', `/api/v1/jobs/${job.id}`);
    }
    if (context.global.json) printJson(context.io, job);
    else if (job.status === 'succeeded' && job.result) {
      const r = job.result;
      context.io.stdout.write(
        `Head ${r.name} v${r.version} (model head:${r.name}): validation accuracy ${r.accuracy.toFixed(3)}, macro F1 ${r.macroF1.toFixed(3)}, best epoch ${r.bestEpoch}.\n`,
      );
    } else {
      context.io.stderr.write(
        `Job ${job.id} ${job.status}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}\n`,
      );
    }
    return job.status === 'succeeded' ? 0 : 1;
  });
};
