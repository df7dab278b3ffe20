/**
 * @module cli/commands/tune-export
 * `keel tune export <name> --base-model <id> --method lora --file records.jsonl --out ./spec`
 * exports a training spec for a trainer that runs elsewhere (a `tuning.export` job): the records
 * of an evaluation dataset (`--dataset`) or of a local JSONL/JSON file (uploaded to the project's
 * files first) in watsonx tuning JSONL, the trainer's config (axolotl, or PEFT for prompt tuning)
 * and a lineage manifest. It shows progress by step, reports skipped records, and with `--out`
 * downloads the files into a folder.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { createProgress, printJson } from '../output.js';

interface ExportJobView {
  id: string;
  status: string;
  progress: { done: number; total: number | null };
  result?: {
    folder: string;
    files: { name: string; path: string; bytes: number }[];
    skipped: { at: string; code: string; message: string }[];
    skipped_count: number;
    manifest: { records: Record<string, number>; trainer: { name: string; command: string } };
  } | null;
  error?: { code: string; message: string } | null;
}

/** Flags → hyper-parameters (only those given). */
const hyperFlags: [flag: string, option: string, key: string][] = [
  ['epochs', 'epochs', 'epochs'],
  ['learning-rate', 'learningRate', 'learning_rate'],
  ['batch-size', 'batchSize', 'batch_size'],
  ['grad-accum', 'gradAccum', 'gradient_accumulation_steps'],
  ['lora-rank', 'loraRank', 'lora_rank'],
  ['lora-alpha', 'loraAlpha', 'lora_alpha'],
  ['lora-dropout', 'loraDropout', 'lora_dropout'],
  ['max-seq-length', 'maxSeqLength', 'max_sequence_length'],
  ['seed', 'seed', 'seed'],
  ['validation-fraction', 'validationFraction', 'validation_fraction'],
  ['virtual-tokens', 'virtualTokens', 'num_virtual_tokens'],
];

export const exportCommand: CommandHandler = async (context, args, options) => {
  const name = args[0];
  const missing = [
    ...(name ? [] : [['name', 'name the export: keel tune export <name>']]),
    ...(options.baseModel ? [] : [['base_model', '--base-model <id> is required']]),
    ...(options.method ? [] : [['method', '--method lora|qlora|full|prompt_tuning is required']]),
    ...(options.dataset || options.file
      ? []
      : [['dataset', '--dataset <name> or --file <records.jsonl> is required']]),
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
  const hyper = Object.fromEntries(
    hyperFlags
      .map(([flag, option, key]) => [key, numberOption(options[option], flag)] as const)
      .filter(([, value]) => value !== undefined),
  );
  return withConnection(context, async ({ client }) => {
    /** A local file goes to the project's files first; its name there is what the export reads. */
    const upload = async (file: unknown): Promise<string | undefined> => {
      if (file === undefined) return undefined;
      const local = String(file);
      const stored = `tuning-uploads/${path.basename(local)}`;
      await client.tuning.uploadFile(stored, await readFile(local));
      return stored;
    };
    const file = await upload(options.file);
    const validationFile = await upload(options.validationFile);
    const started = await client.tuning.startExport({
      name: name!,
      base_model: String(options.baseModel),
      method: String(options.method) as never,
      ...(options.dataset ? { dataset: String(options.dataset) } : {}),
      ...(options.datasetVersion
        ? { dataset_version: numberOption(options.datasetVersion, 'dataset-version') }
        : {}),
      ...(file ? { file } : {}),
      ...(validationFile ? { validation_file: validationFile } : {}),
      ...(Object.keys(hyper).length ? { hyper_parameters: hyper } : {}),
    });
    const progress = context.global.json
      ? null
      : createProgress(context.io, 'Exporting (steps)', { total: 4 });
    const job = (await client.tuning.waitForJob(started.id, {
      intervalMs: 200,
      onProgress: (j) => progress?.update(j.progress.done),
    })) as unknown as ExportJobView;
    progress?.stop();
    if (job.status !== 'succeeded' || !job.result) {
      if (context.global.json) printJson(context.io, job);
      context.io.stderr.write(
        `Job ${job.id} ${job.status}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}\n`,
      );
      return 1;
    }
    const r = job.result;
    const written: string[] = [];
    if (options.out) {
      const out = String(options.out);
      for (const f of r.files) {
        const target = path.join(out, f.name);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, await client.tuning.downloadFile(f.path));
        written.push(target);
      }
    }
    if (context.global.json) {
      printJson(context.io, { ...job, downloaded: written });
      return 0;
    }
    const { records, trainer } = r.manifest;
    const skipped = r.skipped.map((s) => `  skipped ${s.at}: ${s.code} (${s.message})`);
    context.io.stdout.write(
      [
        `Exported ${records.train} train and ${records.validation} validation records (${records.skipped} skipped, ${records.held_out} held out) to ${r.folder} in the project's files.`,
        ...skipped,
        ...(r.skipped_count > r.skipped.length
          ? [`  … and ${r.skipped_count - r.skipped.length} more skipped`]
          : []),
        ...r.files.map((f) => `  ${f.name.padEnd(28)} ${String(f.bytes).padStart(10)} bytes`),
        written.length ? `Downloaded to ${String(options.out)}.` : `Download with --out <folder>.`,
        `Train with ${trainer.name}: ${trainer.command}`,
      ].join('\n') + '\n',
    );
    return 0;
  });
};
