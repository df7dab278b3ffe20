/** Two runs side by side: per-metric difference with its interval, p-value and verdict, as a chart and a table. */
import type { ComparisonJson, EvaluationJson } from '@keel/api/evals';
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';
import { DifferenceChart } from './difference-chart';

const verdicts = {
  better: 'evals.verdict.better',
  worse: 'evals.verdict.worse',
  no_difference: 'evals.verdict.no_difference',
} as const;

export function CompareRuns({
  runs,
  initial,
}: {
  runs: readonly EvaluationJson[];
  /** Runs A and B to compare at once (a link to the comparison). */
  initial?: readonly [string, string] | undefined;
}) {
  const { t, format } = useI18n();
  const { client } = useSession();
  const ids = { title: useId(), a: useId(), b: useId() };
  const done = runs.filter((run) => run.status === 'succeeded' || run.status === 'failed');
  const [a, setA] = useState(initial?.[0] ?? '');
  const [b, setB] = useState(initial?.[1] ?? '');
  const [result, setResult] = useState<ComparisonJson | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const value = (n: number) => format.number(n, { maximumFractionDigits: 4 });
  const label = (run: EvaluationJson) => `${run.name ?? run.id} · ${format.dateTime(run.created_at)}`;
  const ready = done.length >= 2;
  const linkedKey = initial?.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: compares the linked runs once the list has them.
  useEffect(() => {
    if (initial && ready) void compare();
  }, [linkedKey, ready]);
  if (!ready) return null;
  const first = a || done[1]!.id;
  const second = b || done[0]!.id;
  async function compare() {
    setError(null);
    setResult(null);
    try {
      setResult(await client.evals.compare(a || done[1]!.id, b || done[0]!.id, { limit: 1 }));
    } catch (cause) {
      setError(describeError(cause));
    }
  }
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('evals.compare')}</h2>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={ids.a}>{t('evals.runA')}</label>
          <select id={ids.a} value={first} onChange={(event) => setA(event.target.value)}>
            {done.map((run) => (
              <option key={run.id} value={run.id}>
                {label(run)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.b}>{t('evals.runB')}</label>
          <select id={ids.b} value={second} onChange={(event) => setB(event.target.value)}>
            {done.map((run) => (
              <option key={run.id} value={run.id}>
                {label(run)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" onClick={() => void compare()}>
          {t('evals.compareButton')}
        </button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {result ? (
        <>
          {result.same_dataset ? null : (
            <p className="notice notice-warning">{t('evals.differentDatasets')}</p>
          )}
          {result.metrics.length ? (
            <DifferenceChart
              metrics={result.metrics}
              title={t('evals.differenceChart')}
              formatValue={(n) => format.number(n, { maximumFractionDigits: 3, signDisplay: 'exceptZero' })}
              describe={(metric) =>
                t('evals.differenceVerdict', {
                  verdict: t(verdicts[metric.verdict]),
                  p: format.number(metric.p_value, { maximumFractionDigits: 3 }),
                })
              }
            />
          ) : null}
          <div className="table-wrap">
            <table aria-label={t('evals.comparison')}>
              <thead>
                <tr>
                  <th scope="col">{t('evals.metric')}</th>
                  <th scope="col">A</th>
                  <th scope="col">B</th>
                  <th scope="col">{t('evals.difference')}</th>
                  <th scope="col">{t('evals.method')}</th>
                  <th scope="col">p</th>
                  <th scope="col">{t('evals.significant')}</th>
                  <th scope="col">{t('evals.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {result.metrics.map((metric) => (
                  <tr key={metric.metric}>
                    <th scope="row">{metric.metric}</th>
                    <td>{value(metric.mean_a)}</td>
                    <td>{value(metric.mean_b)}</td>
                    <td>
                      {value(metric.difference)} [{value(metric.ci.low)}, {value(metric.ci.high)}]
                    </td>
                    <td>
                      {t(metric.method === 'paired' ? 'evals.methodPaired' : 'evals.methodUnpaired', {
                        n: format.number(metric.n),
                        a: format.number(metric.n_a),
                        b: format.number(metric.n_b),
                      })}
                    </td>
                    <td>{value(metric.p_value)}</td>
                    <td>{t(metric.significant ? 'evals.significantYes' : 'evals.significantNo')}</td>
                    <td>{t(verdicts[metric.verdict])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
