/**
 * @module tuning/classification-metrics
 * The metrics report of a head: the evaluation module's classification metrics (accuracy, macro
 * F1, per-class precision/recall/F1, confusion matrix — scikit-learn's conventions), laid out in
 * the head's own label order (rows: true label, columns: predicted label).
 */
import { labelMetrics } from '../evals/index.js';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  labels: string[];
  confusion: number[][];
  count: number;
}

export function classificationReport(
  labels: string[],
  truth: number[],
  predicted: number[],
): ClassificationReport {
  const name = (i: number) => labels[i] as string;
  const report = labelMetrics(predicted.map(name), truth.map(name));
  const at = new Map(report.confusion_matrix.labels.map((label, i) => [label, i]));
  const confusion = labels.map((row) =>
    labels.map((column) => {
      const r = at.get(row);
      const c = at.get(column);
      return r === undefined || c === undefined
        ? 0
        : ((report.confusion_matrix.matrix[r] as number[])[c] as number);
    }),
  );
  const perClass = labels.map((label) => {
    const m = report.per_class[label];
    return {
      label,
      precision: m?.precision ?? 0,
      recall: m?.recall ?? 0,
      f1: m?.f1 ?? 0,
      support: m?.support ?? 0,
    };
  });
  return {
    accuracy: report.accuracy,
    macroF1: report.macro_f1,
    perClass,
    labels,
    confusion,
    count: truth.length,
  };
}
