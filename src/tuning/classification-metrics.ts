/**
 * @module tuning/classification-metrics
 * The metrics report of a classifier: accuracy, macro F1, per-class precision/recall/F1 and the
 * confusion matrix (rows: true label, columns: predicted label).
 */

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

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function classificationReport(
  labels: string[],
  truth: number[],
  predicted: number[],
): ClassificationReport {
  const k = labels.length;
  const confusion = labels.map(() => new Array<number>(k).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i] as number;
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) correct++;
  });
  const perClass = labels.map((label, c) => {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((s, v) => s + v, 0);
    const predictedCount = confusion.reduce((s, row) => s + (row[c] as number), 0);
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  return {
    accuracy: ratio(correct, truth.length),
    macroF1: ratio(
      perClass.reduce((s, m) => s + m.f1, 0),
      k,
    ),
    perClass,
    labels,
    confusion,
    count: truth.length,
  };
}
