/**
 * @module cli/commands/eval-report
 * What `keel eval run` writes: the metric table for people, and JUnit XML for CI (one test case
 * per threshold, plus one for the run itself, so a failed threshold shows as a failed test).
 */
import type { EvaluationJson } from '../../api/evals.js';

const fixed = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : Math.abs(value) >= 1000 ? value.toFixed(0) : value.toFixed(4);

/** One row per metric: score, interval, items scored, threshold and its result. */
export function metricRows(run: EvaluationJson): Record<string, unknown>[] {
  const metrics = run.aggregates?.metrics ?? {};
  const thresholds = run.aggregates?.thresholds ?? [];
  return Object.values(metrics).map((metric) => {
    const threshold = thresholds.find(
      (t) => t.metric === metric.metric || `${t.metric}_lexical` === metric.metric,
    );
    const bound = threshold
      ? [
          threshold.min !== undefined ? `≥ ${threshold.min}` : '',
          threshold.max !== undefined ? `≤ ${threshold.max}` : '',
        ]
          .filter(Boolean)
          .join(' ')
      : '';
    return {
      metric: metric.metric,
      score: fixed(metric.score),
      '95% CI': metric.ci ? `${fixed(metric.ci.low)} – ${fixed(metric.ci.high)}` : '',
      n: metric.n,
      threshold: bound,
      result: threshold ? (threshold.passed ? 'pass' : 'FAIL') : '',
    };
  });
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!,
  );

/** JUnit XML: a suite per run, a case per threshold and one for the run's completion. */
export function junitXml(run: EvaluationJson, seconds: number): string {
  const suite = run.name ?? run.id;
  const cases: string[] = [];
  const runFailed = run.status !== 'succeeded';
  cases.push(
    `    <testcase classname="${escapeXml(suite)}" name="run completes" time="${seconds.toFixed(3)}">${
      runFailed
        ? `<failure message="${escapeXml(`run ${run.status}: ${run.error?.message ?? ''}`)}" type="${escapeXml(run.error?.code ?? run.status)}"/>`
        : ''
    }</testcase>`,
  );
  const items = run.aggregates?.items;
  for (const threshold of run.aggregates?.thresholds ?? []) {
    const bound = [
      threshold.min !== undefined ? `>= ${threshold.min}` : '',
      threshold.max !== undefined ? `<= ${threshold.max}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const name = `${threshold.metric} ${bound}`;
    const failure = threshold.passed
      ? ''
      : `<failure message="${escapeXml(`${threshold.metric} = ${threshold.value ?? 'none'}, needs ${bound}`)}" type="threshold_failed"/>`;
    cases.push(
      `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(name)}" time="0">${failure}</testcase>`,
    );
  }
  const failures = cases.filter((entry) => entry.includes('<failure')).length;
  const properties = items
    ? `    <properties><property name="items" value="${items.total}"/><property name="failed_items" value="${items.failed}"/></properties>\n`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="${cases.length}" failures="${failures}">
  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" time="${seconds.toFixed(3)}">
${properties}${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}
