/**
 * @module evals/metrics/other-metrics
 * Registry entries of the QA, extraction, classification, retrieval, fairness and cost metrics.
 */
import { classify } from './classification.js';
import { summarize } from './cost.js';
import { asObject, type FieldCounts, fieldCounts, prf, spanList, spanScores } from './extraction.js';
import { fairness } from './fairness.js';
import {
  invalid,
  mean,
  numbers,
  optionChoice,
  optionNumber,
  referenceLists,
  required,
  stringLists,
  strings,
} from './inputs.js';
import { exactMatch, type KoreanNormalization, type QaLanguage, tokenF1 } from './qa.js';
import { hitAtK, ndcgAtK, recallAtK, reciprocalRank, relevanceOf } from './retrieval.js';
import type { MetricDefinition, MetricInfo, MetricInput, MetricResult } from './types.js';

type Base = Omit<MetricInfo, 'needsSources' | 'needsGroups'> & Partial<MetricInfo>;

function define(info: Base, compute: (input: MetricInput) => MetricResult): MetricDefinition {
  return { needsSources: false, needsGroups: false, ...info, compute };
}

function qa(name: 'exact_match' | 'f1', description: string): MetricDefinition {
  return define(
    { name, family: 'qa', description, needsReferences: true, higherIsBetter: true, range: [0, 1] },
    (input) => {
      const predictions = strings(input.predictions, 'predictions');
      const references = referenceLists(required(name, 'references', input.references, predictions.length));
      const language = optionChoice<QaLanguage>(input.options, 'language', ['en', 'ko', 'auto'], 'auto');
      const korean = optionChoice<KoreanNormalization>(
        input.options,
        'korean',
        ['particles', 'korquad'],
        'particles',
      );
      const score = name === 'exact_match' ? exactMatch : tokenF1;
      const perItem = predictions.map((p, i) => score(p, references[i] as string[], language, korean));
      return { metric: name, score: mean(perItem), per_item: perItem, details: { language, korean } };
    },
  );
}

function goldLabels(name: string, input: MetricInput, length: number): string[] {
  const source = input.references ?? input.labels;
  return strings(
    required(name, input.references ? 'references' : 'labels', source, length),
    input.references ? 'references' : 'labels',
  );
}

function classification(name: 'accuracy' | 'f1_macro' | 'f1_micro', description: string): MetricDefinition {
  return define(
    {
      name,
      family: 'classification',
      description,
      needsReferences: true,
      higherIsBetter: true,
      range: [0, 1],
    },
    (input) => {
      const predictions = strings(input.predictions, 'predictions');
      const report = classify(predictions, goldLabels(name, input, predictions.length));
      const score =
        name === 'accuracy' ? report.accuracy : name === 'f1_macro' ? report.macro_f1 : report.micro_f1;
      const { correct, ...details } = report;
      return { metric: name, score, per_item: correct, details };
    },
  );
}

function retrieval(
  name: 'recall_at_k' | 'mrr' | 'ndcg_at_k' | 'hit_rate',
  description: string,
  score: (ranked: string[], relevance: ReturnType<typeof relevanceOf>, k: number) => number,
): MetricDefinition {
  return define(
    { name, family: 'retrieval', description, needsReferences: true, higherIsBetter: true, range: [0, 1] },
    (input) => {
      const ranked = stringLists(input.predictions, 'predictions');
      const gold = required(name, 'references', input.references, ranked.length).map((value, i) =>
        relevanceOf(value, i),
      );
      const defaultK = name === 'mrr' ? Number.POSITIVE_INFINITY : 10;
      const k =
        input.options?.k === undefined
          ? defaultK
          : optionNumber(input.options, 'k', 10, (v) => Number.isInteger(v) && v >= 1);
      const perItem = ranked.map((list, i) => score(list, gold[i] as ReturnType<typeof relevanceOf>, k));
      return {
        metric: name,
        score: mean(perItem),
        per_item: perItem,
        details: {
          k: Number.isFinite(k) ? k : null,
          items_without_relevant: gold.filter((g) => g.size === 0).length,
        },
      };
    },
  );
}

function fairnessMetric(
  name: 'disparate_impact' | 'statistical_parity_difference',
  description: string,
): MetricDefinition {
  const range: [number, number] = name === 'disparate_impact' ? [0, Number.POSITIVE_INFINITY] : [-1, 1];
  return define(
    {
      name,
      family: 'fairness',
      description,
      needsReferences: false,
      needsGroups: true,
      higherIsBetter: name === 'disparate_impact',
      range,
    },
    (input) => {
      const outcomes = strings(input.predictions, 'predictions');
      const groups = strings(required(name, 'groups', input.groups, outcomes.length), 'groups');
      const favourableOption = input.options?.favorable ?? input.options?.favourable ?? '1';
      const favourable = (Array.isArray(favourableOption) ? favourableOption : [favourableOption]).map(
        String,
      );
      const referenceOption = input.options?.reference_group;
      if (referenceOption !== undefined && typeof referenceOption !== 'string') {
        throw invalid(
          'invalid_option',
          ['options', 'reference_group'],
          'options.reference_group must be a string.',
        );
      }
      const report = fairness(outcomes, groups, favourable, referenceOption);
      const { outcomes: indicators, ...details } = report;
      return {
        metric: name,
        score: name === 'disparate_impact' ? report.disparate_impact : report.statistical_parity_difference,
        per_item: indicators,
        details,
      };
    },
  );
}

function numeric(name: 'latency' | 'tokens' | 'cost', description: string): MetricDefinition {
  return define(
    {
      name,
      family: 'cost',
      description,
      needsReferences: false,
      higherIsBetter: false,
      range: [0, Number.POSITIVE_INFINITY],
    },
    (input) => {
      const values = numbers(input.predictions, 'predictions');
      const summary = summarize(values);
      return { metric: name, score: summary.mean, per_item: values, details: { ...summary } };
    },
  );
}

export const otherMetrics: MetricDefinition[] = [
  qa(
    'exact_match',
    'Exact match after SQuAD (English) or KorQuAD-style (Korean) normalisation, best reference',
  ),
  qa('f1', 'Token F1 (SQuAD) or character F1 (Korean), best reference'),
  define(
    {
      name: 'span_f1',
      family: 'extraction',
      description: 'Micro F1 of normalised extracted spans (precision and recall in details)',
      needsReferences: true,
      higherIsBetter: true,
      range: [0, 1],
    },
    (input) => {
      const predictions = input.predictions.map((v, i) => spanList(v, 'predictions', i));
      const gold = required('span_f1', 'references', input.references, predictions.length).map((v, i) =>
        spanList(v, 'references', i),
      );
      let tp = 0;
      let fp = 0;
      let fn = 0;
      const perItem = predictions.map((spans, i) => {
        const item = spanScores(spans, gold[i] as string[]);
        tp += item.tp;
        fp += item.fp;
        fn += item.fn;
        return item.f1;
      });
      const total = prf(tp, fp, fn);
      return { metric: 'span_f1', score: total.f1, per_item: perItem, details: { ...total } };
    },
  ),
  define(
    {
      name: 'field_f1',
      family: 'extraction',
      description: 'Micro F1 over the fields of JSON objects, with per-field precision/recall/F1',
      needsReferences: true,
      higherIsBetter: true,
      range: [0, 1],
    },
    (input) => {
      const predictions = input.predictions.map((v, i) => asObject(v, 'predictions', i));
      const gold = required('field_f1', 'references', input.references, predictions.length).map((v, i) =>
        asObject(v, 'references', i),
      );
      const perField = new Map<string, FieldCounts>();
      let tp = 0;
      let fp = 0;
      let fn = 0;
      const perItem = predictions.map((object, i) => {
        const item = fieldCounts(object, gold[i] as Record<string, unknown>, perField);
        tp += item.tp;
        fp += item.fp;
        fn += item.fn;
        return prf(item.tp, item.fp, item.fn).f1;
      });
      const fields = Object.fromEntries(
        [...perField].sort().map(([field, c]) => [field, prf(c.tp, c.fp, c.fn)]),
      );
      return {
        metric: 'field_f1',
        score: prf(tp, fp, fn).f1,
        per_item: perItem,
        details: { ...prf(tp, fp, fn), fields },
      };
    },
  ),
  classification('accuracy', 'Share of items whose predicted label equals the gold label'),
  classification(
    'f1_macro',
    'Macro-averaged F1 over classes (confusion matrix and per-class scores in details)',
  ),
  classification('f1_micro', 'Micro-averaged F1 over classes (equals accuracy for single-label data)'),
  retrieval('recall_at_k', 'Recall of relevant ids in the top k (options.k, default 10)', recallAtK),
  retrieval(
    'mrr',
    'Mean reciprocal rank of the first relevant id (within options.k if given)',
    reciprocalRank,
  ),
  retrieval('ndcg_at_k', 'nDCG at k with binary or graded relevance (options.k, default 10)', ndcgAtK),
  retrieval('hit_rate', 'Share of items with a relevant id in the top k (options.k, default 10)', hitAtK),
  fairnessMetric(
    'disparate_impact',
    'Favourable-outcome rate of a group over the reference group (worst group)',
  ),
  fairnessMetric(
    'statistical_parity_difference',
    'Favourable-outcome rate of a group minus the reference group (worst group)',
  ),
  numeric('latency', 'Latency summary (mean, p50, p95, sum) of numeric per-item values'),
  numeric('tokens', 'Token count summary (mean, p50, p95, sum)'),
  numeric('cost', 'Cost summary (mean, p50, p95, sum)'),
];
