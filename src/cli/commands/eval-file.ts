/**
 * @module cli/commands/eval-file
 * The declarative evaluation file of `keel eval run`: what to test (`target`), on which dataset
 * (a stored one by id or name, or a local file uploaded as a new version), a sample or split, the
 * metrics, the thresholds and run options. YAML or JSON; checked with the API's own schemas.
 *
 * @example
 * target: { kind: template, prompt: summarize@3, model: "llamacpp:tiny" }
 * dataset: { path: ./summaries.csv, mapping: { input: [text], reference: summary } }
 * metrics: [rougeL, bleu]
 * thresholds: [{ metric: rougeL, min: 0.3 }]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { columnMappingSchema, createEvaluationSchema, datasetFormatSchema } from '../../api/evals.js';
import { KeelError } from '../../core/errors.js';

const datasetSchema = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1).describe('a CSV, TSV, JSONL, JSON or Parquet file, relative to this file'),
    name: z.string().min(1).max(200).optional(),
    format: datasetFormatSchema.optional(),
    mapping: columnMappingSchema.optional(),
  }),
]);

export const evalFileSchema = createEvaluationSchema
  .omit({ dataset: true })
  .extend({ dataset: datasetSchema });
export type EvalFile = z.infer<typeof evalFileSchema> & { baseDir: string };

/** Reads and checks an evaluation file; every mistake is one coded issue with its path. */
export async function readEvalFile(file: string): Promise<EvalFile> {
  let value: unknown;
  try {
    value = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new KeelError('invalid_request', `Cannot read ${file}: ${(error as Error).message}`, {
      issues: [{ code: 'invalid_file', path: ['file'], message: (error as Error).message.slice(0, 200) }],
    });
  }
  const parsed = evalFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new KeelError('invalid_request', `${file} is not a valid evaluation file.`, {
      issues: parsed.error.issues.map((issue) => ({
        code: issue.code,
        path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
        message: issue.message,
      })),
    });
  }
  return { ...parsed.data, baseDir: path.dirname(path.resolve(file)) };
}
