/**
 * @module tuning/head-job
 * The `tuning.head` job's payload and what is worked out from it before training: its rows
 * (labelled texts, or tagged sentences for a tagger), the coded checks run before the job is
 * queued and again in the job, the feature spec, the dataset digest, and the lineage a trained
 * version carries into governance.
 */
import { createHash } from 'node:crypto';
import { KeelError } from '../core/errors.js';
import { type CharNgramOptions, charNgramSpec } from '../core/text/char-ngram-features.js';
import type { LabelledText } from './head-core.js';
import type { FeatureSpec } from './head-features.js';
import { HEAD_NAME, type HeadVersionInfo } from './head-file.js';
import { type HeadKind, headKinds } from './head-model.js';
import type { MlpTrainingOptions } from './mlp-head.js';
import type { TaggedSentence, TaggerOptions } from './token-tagger.js';

export const HEAD_JOB = 'tuning.head';
/** Most examples one head job takes inline. */
export const MAX_HEAD_EXAMPLES = 200_000;

export interface HeadJobPayload {
  name: string;
  /** `logistic` (default), `mlp` or `tagger`. */
  method?: HeadKind | undefined;
  /** Labelled texts (classifiers; empty for a tagger). */
  examples: LabelledText[];
  validation?: LabelledText[] | undefined;
  /** Tagged sentences (the `tagger` method). */
  sentences?: TaggedSentence[] | undefined;
  validationSentences?: TaggedSentence[] | undefined;
  options?: (MlpTrainingOptions & TaggerOptions) | undefined;
  /** Hashed character n-grams (default), or `{ model: 'provider:model' }` for a registry embedding model. */
  features?: (CharNgramOptions & { model?: undefined }) | { model: string } | undefined;
  /** Where the data came from (a file name, a dataset id), for lineage. */
  source?: string | null | undefined;
  /** Register the trained version in this governance use case (it then needs approval for production). */
  governance?: { useCaseId: string } | undefined;
}

export interface HeadJobResult {
  name: string;
  version: number;
  accuracy: number;
  macroF1: number;
  bestEpoch: number;
  governanceAssetId?: string | null;
  /** Taggers: span-level F1 on validation. */
  spanF1?: number;
}

export type Row = LabelledText | TaggedSentence;
const rowText = (e: Row) => JSON.stringify('text' in e ? [e.text, e.label] : [e.tokens, e.tags]);

export function datasetHash(examples: Row[], validation: Row[] | undefined): string {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(`${rowText(e)}\n`);
  if (validation) {
    hash.update('--validation--\n');
    for (const e of validation) hash.update(`${rowText(e)}\n`);
  }
  return hash.digest('hex');
}

/** The payload's training rows and validation rows (sentences for a tagger). */
export function rowsOf(p: HeadJobPayload): { train: Row[]; validation: Row[] | undefined } {
  return p.method === 'tagger'
    ? { train: p.sentences ?? [], validation: p.validationSentences }
    : { train: p.examples, validation: p.validation };
}

export function checkPayload(payload: HeadJobPayload): void {
  const issues: { code: string; path: (string | number)[]; message: string }[] = [];
  if (!HEAD_NAME.test(payload.name)) {
    issues.push({ code: 'invalid_name', path: ['name'], message: 'Use 1–63 of a-z, 0-9, ".", "_" or "-".' });
  }
  const { train } = rowsOf(payload);
  if (train.length > MAX_HEAD_EXAMPLES) {
    issues.push({ code: 'too_big', path: ['examples'], message: `At most ${MAX_HEAD_EXAMPLES} examples.` });
  }
  if (payload.method !== undefined && !(headKinds as readonly string[]).includes(payload.method)) {
    issues.push({ code: 'unknown_method', path: ['method'], message: 'Use logistic, mlp or tagger.' });
  }
  if (issues.length > 0) throw new KeelError('invalid_request', 'The head request is not valid.', { issues });
  const labels = new Set(train.flatMap((e) => ('text' in e ? [e.label] : e.tags)));
  if (labels.size < 2) {
    const message = `A head needs at least two classes; the dataset has ${labels.size}.`;
    throw new KeelError('invalid_dataset', message, {
      issues: [
        { code: 'single_class', path: [payload.method === 'tagger' ? 'sentences' : 'examples'], message },
      ],
    });
  }
}

export function featureSpecOf(payload: HeadJobPayload): FeatureSpec {
  const f = payload.features;
  if (f?.model !== undefined) return { kind: 'embedding', model: f.model, dimensions: 0 };
  return charNgramSpec(f ?? {});
}

/** Lineage as governance metadata (flat strings and numbers). */
export function lineage(info: HeadVersionInfo): Record<string, string | number | boolean> {
  return {
    head: info.name,
    head_version: info.version,
    method: info.kind,
    base_encoder: info.baseEncoder,
    dataset_sha256: info.dataset.sha256,
    dataset_source: info.dataset.source ?? '',
    dataset_count: info.dataset.count,
    seed: Number(info.hyperParameters.seed),
    hyper_parameters: JSON.stringify(info.hyperParameters),
    macro_f1: Number(info.metrics.macroF1.toFixed(4)),
    accuracy: Number(info.metrics.accuracy.toFixed(4)),
    metrics: JSON.stringify({ perClass: info.metrics.perClass, confusion: info.metrics.confusion }),
    file_sha256: info.fileSha256 ?? '',
  };
}
