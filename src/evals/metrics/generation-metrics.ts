/**
 * @module evals/metrics/generation-metrics
 * Registry entries of the text-generation metrics: ROUGE, BLEU (two flavours), SARI, METEOR, chrF.
 */
import { corpusAndSentenceBleu, hfBleu, type SmoothMethod } from './bleu.js';
import { chrf } from './chrf.js';
import {
  invalid,
  mean,
  optionBoolean,
  optionChoice,
  optionNumber,
  referenceLists,
  required,
  strings,
} from './inputs.js';
import { meteor } from './meteor.js';
import { type RougeTokenizer, type RougeType, rougeScoreMulti } from './rouge.js';
import { sariSentence } from './sari.js';
import type { MetricDefinition, MetricInput } from './types.js';

const hangul = /[\uac00-\ud7a3]/;

function textInputs(name: string, input: MetricInput): { predictions: string[]; references: string[][] } {
  const predictions = strings(input.predictions, 'predictions');
  const references = referenceLists(required(name, 'references', input.references, predictions.length));
  return { predictions, references };
}

function rouge(type: RougeType, description: string): MetricDefinition {
  return {
    name: type,
    family: 'generation',
    description,
    needsReferences: true,
    needsSources: false,
    needsGroups: false,
    higherIsBetter: true,
    range: [0, 1],
    compute(input) {
      const { predictions, references } = textInputs(type, input);
      const stem = optionBoolean(input.options, 'stem', optionBoolean(input.options, 'use_stemmer', false));
      const auto =
        predictions.some((p) => hangul.test(p)) || references.some((r) => r.some((t) => hangul.test(t)));
      const tokenizer = optionChoice<RougeTokenizer | 'auto'>(
        input.options,
        'tokenizer',
        ['default', 'korean', 'auto'],
        'auto',
      );
      const resolved: RougeTokenizer = tokenizer === 'auto' ? (auto ? 'korean' : 'default') : tokenizer;
      const precision: number[] = [];
      const recall: number[] = [];
      const perItem = predictions.map((prediction, i) => {
        const result = rougeScoreMulti(type, references[i] as string[], prediction, {
          stem,
          tokenizer: resolved,
        });
        precision.push(result.precision);
        recall.push(result.recall);
        return result.fmeasure;
      });
      return {
        metric: type,
        score: mean(perItem),
        per_item: perItem,
        details: {
          precision: mean(precision),
          recall: mean(recall),
          per_item_precision: precision,
          per_item_recall: recall,
          stem,
          tokenizer: resolved,
          ...(resolved === 'default' && auto
            ? { warning: "The default tokenizer drops Hangul; use tokenizer 'korean' for Korean text." }
            : {}),
        },
      };
    },
  };
}

const smoothMethods = ['exp', 'none', 'floor', 'add-k'] as const;

export const generationMetrics: MetricDefinition[] = [
  rouge('rouge1', 'ROUGE-1 F-measure (rouge-score semantics)'),
  rouge('rouge2', 'ROUGE-2 F-measure (rouge-score semantics)'),
  rouge('rougeL', 'ROUGE-L F-measure: sentence-level longest common subsequence (rouge-score semantics)'),
  rouge('rougeLsum', 'ROUGE-Lsum F-measure: summary-level LCS over newline-separated sentences'),
  {
    name: 'sacrebleu',
    family: 'generation',
    description: 'sacreBLEU corpus BLEU, 13a tokenizer, exp smoothing (0..100); per item: sentence BLEU',
    needsReferences: true,
    needsSources: false,
    needsGroups: false,
    higherIsBetter: true,
    range: [0, 100],
    compute(input) {
      const { predictions, references } = textInputs('sacrebleu', input);
      const options = {
        smooth: optionChoice<SmoothMethod>(input.options, 'smooth_method', smoothMethods, 'exp'),
        tokenizer: optionChoice(input.options, 'tokenize', ['13a', 'none'] as const, '13a'),
        lowercase: optionBoolean(input.options, 'lowercase', false),
        ...(input.options?.smooth_value !== undefined
          ? { smoothValue: optionNumber(input.options, 'smooth_value', 0, (v) => v >= 0) }
          : {}),
      };
      const { corpus, perItem } = corpusAndSentenceBleu(predictions, references, options);
      return {
        metric: 'sacrebleu',
        score: corpus.score,
        per_item: perItem,
        details: {
          precisions: corpus.precisions,
          bp: corpus.bp,
          sys_len: corpus.sysLen,
          ref_len: corpus.refLen,
          signature: `nrefs:${Math.max(...references.map((r) => r.length), 0)}|case:${options.lowercase ? 'lc' : 'mixed'}|eff:no|tok:${options.tokenizer}|smooth:${options.smooth}`,
        },
      };
    },
  },
  {
    name: 'bleu',
    family: 'generation',
    description:
      'BLEU as Hugging Face evaluate computes it: 13a tokenizer, no smoothing, shortest reference (0..1)',
    needsReferences: true,
    needsSources: false,
    needsGroups: false,
    higherIsBetter: true,
    range: [0, 1],
    compute(input) {
      const { predictions, references } = textInputs('bleu', input);
      const { corpus, perItem } = hfBleu(predictions, references, {
        maxOrder: optionNumber(
          input.options,
          'max_order',
          4,
          (v) => Number.isInteger(v) && v >= 1 && v <= 10,
        ),
        smooth: optionBoolean(input.options, 'smooth', false),
        lowercase: optionBoolean(input.options, 'lowercase', false),
      });
      const { bleu, ...details } = corpus;
      return { metric: 'bleu', score: bleu, per_item: perItem, details };
    },
  },
  {
    name: 'chrf',
    family: 'generation',
    description: 'sacreBLEU chrF (char order 6, beta 2; word_order 2 gives chrF++), 0..100',
    needsReferences: true,
    needsSources: false,
    needsGroups: false,
    higherIsBetter: true,
    range: [0, 100],
    compute(input) {
      const { predictions, references } = textInputs('chrf', input);
      const options = {
        charOrder: optionNumber(
          input.options,
          'char_order',
          6,
          (v) => Number.isInteger(v) && v >= 1 && v <= 20,
        ),
        wordOrder: optionNumber(
          input.options,
          'word_order',
          0,
          (v) => Number.isInteger(v) && v >= 0 && v <= 10,
        ),
        beta: optionNumber(input.options, 'beta', 2, (v) => v > 0),
        lowercase: optionBoolean(input.options, 'lowercase', false),
        whitespace: optionBoolean(input.options, 'whitespace', false),
        epsSmoothing: optionBoolean(input.options, 'eps_smoothing', false),
      };
      const result = chrf(predictions, references, options);
      return {
        metric: 'chrf',
        score: result.score,
        per_item: result.perItem,
        details: { variant: options.wordOrder > 0 ? 'chrF++' : 'chrF', ...options },
      };
    },
  },
  {
    name: 'sari',
    family: 'generation',
    description: 'SARI for simplification (Hugging Face evaluate semantics), needs sources, 0..100',
    needsReferences: true,
    needsSources: true,
    needsGroups: false,
    higherIsBetter: true,
    range: [0, 100],
    compute(input) {
      const { predictions, references } = textInputs('sari', input);
      const sources = strings(required('sari', 'sources', input.sources, predictions.length), 'sources');
      const perItem = predictions.map(
        (p, i) => 100 * sariSentence(sources[i] as string, p, references[i] as string[]),
      );
      return { metric: 'sari', score: mean(perItem), per_item: perItem };
    },
  },
  {
    name: 'meteor',
    family: 'generation',
    description:
      'METEOR (NLTK meteor_score semantics: exact + Porter stem matches; no WordNet synonyms offline)',
    needsReferences: true,
    needsSources: false,
    needsGroups: false,
    higherIsBetter: true,
    range: [0, 1],
    compute(input) {
      const { predictions, references } = textInputs('meteor', input);
      if (input.options?.synonyms === true) {
        throw invalid(
          'unsupported_option',
          ['options', 'synonyms'],
          'WordNet synonym matching is not available offline; METEOR runs with synonyms: false.',
        );
      }
      const options = {
        alpha: optionNumber(input.options, 'alpha', 0.9, (v) => v >= 0 && v <= 1),
        beta: optionNumber(input.options, 'beta', 3, (v) => v >= 0),
        gamma: optionNumber(input.options, 'gamma', 0.5, (v) => v >= 0 && v <= 1),
      };
      const perItem = predictions.map((p, i) => meteor(references[i] as string[], p, options));
      return {
        metric: 'meteor',
        score: mean(perItem),
        per_item: perItem,
        details: { synonyms: false, stages: ['exact', 'porter_stem'], ...options },
      };
    },
  },
];
