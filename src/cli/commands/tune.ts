/**
 * @module cli/commands/tune
 * `keel tune head --dataset file.jsonl --text-field text --label-field label --name <head>` reads
 * labelled lines, starts a `tuning.head` job, follows it with a progress bar (epochs) and prints
 * the head's validation metrics. `--method logistic|mlp|tagger` picks the head; a tagger reads
 * lines of `{"tokens": [...], "tags": [...]}`. `--features hashing` (default) or
 * `--features <provider:model>` picks the frozen encoder (a registry embedding model).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { createProgress, printJson } from '../output.js';

interface JobView {
  id: string;
  status: string;
  progress?: { done: number; total: number | null; message: string | null } | null;
  result?: {
    name: string;
    version: number;
    accuracy: number;
    macroF1: number;
    bestEpoch: number;
    spanF1?: number;
  } | null;
  error?: { code: string; message: string } | null;
}

/** The non-blank lines of a JSONL dataset, each parsed and read by `row` (line numbers from 1). */
function readJsonLines<T>(text: string, row: (value: Record<string, unknown>, line: number) => T): T[] {
  const rows: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new KeelError('invalid_dataset', `Line ${i + 1} is not JSON.`, {
        issues: [{ code: 'invalid_json', path: ['dataset', i + 1], message: 'not JSON' }],
      });
    }
    rows.push(row(value, i + 1));
  });
  return rows;
}

function readExamples(text: string, textField: string, labelField: string) {
  return readJsonLines(text, (row, line) => {
    const value = row[textField];
    const label = row[labelField];
    if (typeof value !== 'string' || label === undefined || label === null || label === '') {
      throw new KeelError('invalid_dataset', `Line ${line} lacks "${textField}" or "${labelField}".`, {
        issues: [{ code: 'missing_field', path: ['dataset', line], message: 'text or label missing' }],
      });
    }
    return { text: value, label: String(label) };
  });
}

function readSentences(text: string, tokensField: string, tagsField: string) {
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return readJsonLines(text, (row, line) => {
    const tokens = row[tokensField];
    const tags = row[tagsField];
    if (!strings(tokens) || !strings(tags)) {
      throw new KeelError(
        'invalid_dataset',
        `Line ${line} lacks "${tokensField}" or "${tagsField}" (arrays of strings).`,
        {
          issues: [{ code: 'missing_field', path: ['dataset', line], message: 'tokens or tags missing' }],
        },
      );
    }
    return { tokens: tokens as string[], tags: tags as string[] };
  });
}

const METHODS = ['logistic', 'mlp', 'tagger'] as const;

function choice<T extends string>(value: unknown, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(String(value))) {
    throw new KeelError('invalid_request', `${flag} must be one of ${allowed.join(', ')}.`, {
      issues: [
        { code: 'invalid_option', path: [flag.replace(/^--/, '')], message: `one of ${allowed.join(', ')}` },
      ],
    });
  }
  return String(value) as T;
}

/** `--features hashing` (hashed character n-grams) or a registry embedding model `provider:model`. */
function featuresOption(value: unknown, dimensions: number | undefined) {
  const features = value === undefined ? 'hashing' : String(value);
  if (features === 'hashing') return dimensions === undefined ? undefined : { dimensions };
  if (!/^[a-z0-9][\w.-]*:.+$/i.test(features)) {
    throw new KeelError(
      'invalid_request',
      '--features must be hashing or an embedding model id (provider:model).',
      {
        issues: [{ code: 'invalid_option', path: ['features'], message: 'hashing or provider:model' }],
      },
    );
  }
  return { model: features };
}

export const headCommand: CommandHandler = async (context, _args, options) => {
  if (!options.dataset) {
    throw new KeelError('invalid_request', 'Name the labelled file with --dataset <file.jsonl>.', {
      issues: [{ code: 'missing_option', path: ['dataset'], message: '--dataset is required' }],
    });
  }
  const file = String(options.dataset);
  const method = choice(options.method, METHODS, '--method');
  const tokenization = choice(options.tokenization, ['word', 'char'] as const, '--tokenization');
  const dimensions = numberOption(options.dimensions, 'dimensions');
  const features = featuresOption(options.features, dimensions);
  const content = await readFile(file, 'utf8');
  const data =
    method === 'tagger'
      ? {
          sentences: readSentences(
            content,
            String(options.textField ?? 'tokens'),
            String(options.labelField ?? 'tags'),
          ),
        }
      : {
          examples: readExamples(
            content,
            String(options.textField ?? 'text'),
            String(options.labelField ?? 'label'),
          ),
        };
  const name = String(
    options.name ??
      path
        .basename(file)
        .replace(/\.[^.]*$/, '')
        .toLowerCase(),
  );
  const numbers = {
    seed: numberOption(options.seed, 'seed'),
    max_false_positive_rate: numberOption(options.maxFpr, 'max-fpr'),
    hidden_units: numberOption(options.hiddenUnits, 'hidden-units'),
    max_epochs: numberOption(options.maxEpochs, 'max-epochs'),
    window: numberOption(options.window, 'window'),
  };
  return withConnection(context, async ({ client }) => {
    let job = await client.request<JobView>('POST', '/api/v1/tuning/jobs', {
      body: {
        type: 'head',
        name,
        ...(method ? { method } : {}),
        ...data,
        ...(features ? { features } : {}),
        source: path.basename(file),
        options: {
          ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined)),
          ...(options.positiveLabel ? { positive_label: String(options.positiveLabel) } : {}),
          ...(tokenization ? { tokenization } : {}),
        },
      },
    });
    const progress = context.global.json ? null : createProgress(context.io, 'Training (epochs)');
    while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await client.request<JobView>('GET', `/api/v1/jobs/${job.id}`);
      if (job.progress?.total) progress?.setTotal(job.progress.total);
      progress?.update(job.progress?.done ?? 0);
    }
    progress?.stop();
    if (context.global.json) printJson(context.io, job);
    else if (job.status === 'succeeded' && job.result) {
      const r = job.result;
      context.io.stdout.write(
        `Head ${r.name} v${r.version} (model head:${r.name}): validation accuracy ${r.accuracy.toFixed(3)}, macro F1 ${r.macroF1.toFixed(3)}${r.spanF1 === undefined ? '' : `, span F1 ${r.spanF1.toFixed(3)}`}, best epoch ${r.bestEpoch}.\n`,
      );
    } else {
      context.io.stderr.write(
        `Job ${job.id} ${job.status}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}\n`,
      );
    }
    return job.status === 'succeeded' ? 0 : 1;
  });
};

interface PromptJobView {
  id: string;
  status: string;
  progress?: { done: number; total: number | null; message: string | null } | null;
  result?: {
    template: { name: string; baseVersion: number; savedVersion: number | null };
    metric: string;
    baseline: number;
    best: { id: string; score: number };
    improved: boolean;
    stopped: string;
    spent: { calls: number; tokens: number };
    evaluations?: { baseline: string; winner: string };
    governanceAssetId?: string | null;
    trace: {
      id: string;
      kind: string;
      status: string;
      score: number | null;
      calls: number;
      tokens: number;
    }[];
  } | null;
  error?: { code: string; message: string } | null;
}

/** A repeatable or comma-separated list option. */
const listOption = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String);

/**
 * `keel tune prompt <template> --dataset <name> --metric accuracy --calls 200 --tokens 100000`
 * optimises a Prompt Lab template against a labelled evaluation dataset (a `tuning.prompt` job),
 * with a progress bar over the candidates, then prints the search trace and what was saved.
 */
export const promptCommand: CommandHandler = async (context, args, options) => {
  const template = args[0];
  const missing = [
    ...(template ? [] : [['template', 'name the template: keel tune prompt <template>']]),
    ...(options.dataset ? [] : [['dataset', '--dataset <name> is required']]),
    ...(options.metric ? [] : [['metric', '--metric <name> is required']]),
    ...(options.calls ? [] : [['calls', '--calls <n> is required']]),
    ...(options.tokens ? [] : [['tokens', '--tokens <n> is required']]),
  ];
  if (missing.length > 0) {
    throw new KeelError('invalid_request', missing.map(([, m]) => m).join('; '), {
      issues: missing.map(([p, m]) => ({
        code: 'missing_option',
        path: [p as string],
        message: m as string,
      })),
    });
  }
  const k = listOption(options.k)?.flatMap((v) => v.split(','));
  const numbers = {
    seed: numberOption(options.seed, 'seed'),
    dataset_version: numberOption(options.datasetVersion, 'dataset-version'),
    propose_instructions: numberOption(options.propose, 'propose'),
    dev_size: numberOption(options.devSize, 'dev-size'),
    joint: numberOption(options.joint, 'joint'),
  };
  const perInput = options.perInput === false ? { per_input: false } : {};
  const body = {
    type: 'prompt',
    template,
    dataset: String(options.dataset),
    metric: String(options.metric),
    budget: { calls: numberOption(options.calls, 'calls'), tokens: numberOption(options.tokens, 'tokens') },
    ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined)),
    ...(options.model ? { model: String(options.model) } : {}),
    ...(options.instruction ? { instructions: listOption(options.instruction) } : {}),
    ...(k || options.perInput === false
      ? { few_shot: { ...(k ? { k: k.map((v) => numberOption(v, 'k')) } : {}), ...perInput } }
      : {}),
    ...(options.useCase ? { governance: { use_case_id: String(options.useCase) } } : {}),
    ...(options.format ? { formats: listOption(options.format)!.map((text) => ({ text })) } : {}),
    ...(options.devSplit ? { dev_split: String(options.devSplit) } : {}),
    ...(options.testSplit ? { test_split: String(options.testSplit) } : {}),
    ...(options.trainSplit ? { train_split: String(options.trainSplit) } : {}),
  };
  return withConnection(context, async ({ client }) => {
    let job = await client.request<PromptJobView>('POST', '/api/v1/tuning/jobs', { body });
    const progress = context.global.json ? null : createProgress(context.io, 'Searching (candidates)');
    while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await client.request<PromptJobView>('GET', `/api/v1/jobs/${job.id}`);
      if (job.progress?.total) progress?.setTotal(job.progress.total);
      progress?.update(job.progress?.done ?? 0);
    }
    progress?.stop();
    if (context.global.json) printJson(context.io, job);
    else if (job.status === 'succeeded' && job.result) {
      const r = job.result;
      const lines = r.trace.map(
        (t) =>
          `  ${t.id.padEnd(16)} ${t.kind.padEnd(12)} ${t.score === null ? t.status.padStart(10) : t.score.toFixed(4).padStart(10)} ${String(t.calls).padStart(6)} calls ${String(t.tokens).padStart(8)} tokens`,
      );
      const saved =
        r.template.savedVersion === null
          ? `No candidate beat the baseline; ${r.template.name} is unchanged.`
          : `Saved ${r.template.name} v${r.template.savedVersion} (from v${r.template.baseVersion}): ${r.best.id}.`;
      const runs = r.evaluations;
      const stored = !runs
        ? ''
        : runs.baseline === runs.winner
          ? `Evaluation run: ${runs.baseline}.\n`
          : `Evaluation runs: untuned ${runs.baseline}, winner ${runs.winner} (keel eval compare ${runs.baseline} ${runs.winner}).\n`;
      const asset = r.governanceAssetId
        ? `Registered as governance asset ${r.governanceAssetId}; it needs approval before production.\n`
        : '';
      context.io.stdout.write(
        `${lines.join('\n')}\n${r.metric}: baseline ${r.baseline.toFixed(4)}, best ${r.best.score.toFixed(4)} (${r.best.id}); spent ${r.spent.calls} calls, ${r.spent.tokens} tokens${r.stopped === 'budget' ? ' (budget reached)' : ''}.\n${saved}\n${stored}${asset}`,
      );
    } else {
      context.io.stderr.write(
        `Job ${job.id} ${job.status}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}\n`,
      );
    }
    return job.status === 'succeeded' ? 0 : 1;
  });
};
