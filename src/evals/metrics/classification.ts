/**
 * @module evals/metrics/classification
 * Accuracy, macro and micro F1 with per-class precision/recall/F1 and a confusion matrix, with
 * scikit-learn's conventions: the classes are the sorted union of gold and predicted labels, a
 * class with no prediction (or no gold item) has precision (recall) 0, and for single-label data
 * micro F1 equals accuracy.
 */
import { prf } from './extraction.js';

export interface ClassificationReport {
  accuracy: number;
  macro_f1: number;
  micro_f1: number;
  per_class: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  confusion_matrix: { labels: string[]; matrix: number[][] };
  correct: number[];
}

export function classify(predictions: readonly string[], gold: readonly string[]): ClassificationReport {
  const labels = [...new Set([...gold, ...predictions])].sort();
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  const correct: number[] = [];
  predictions.forEach((prediction, i) => {
    const truth = gold[i] as string;
    const row = matrix[index.get(truth) as number] as number[];
    const column = index.get(prediction) as number;
    row[column] = (row[column] as number) + 1;
    correct.push(prediction === truth ? 1 : 0);
  });
  const perClass: ClassificationReport['per_class'] = {};
  let macro = 0;
  let tpAll = 0;
  let fpAll = 0;
  let fnAll = 0;
  labels.forEach((label, k) => {
    const tp = (matrix[k] as number[])[k] as number;
    let predicted = 0;
    let support = 0;
    for (let r = 0; r < labels.length; r++) predicted += (matrix[r] as number[])[k] as number;
    for (const value of matrix[k] as number[]) support += value;
    const fp = predicted - tp;
    const fn = support - tp;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    macro += f1;
    tpAll += tp;
    fpAll += fp;
    fnAll += fn;
  });
  const total = correct.length;
  return {
    accuracy: total ? correct.reduce((a, b) => a + b, 0) / total : 0,
    macro_f1: labels.length ? macro / labels.length : 0,
    micro_f1: total ? prf(tpAll, fpAll, fnAll).f1 : 0,
    per_class: perClass,
    confusion_matrix: { labels, matrix },
    correct,
  };
}
