/**
 * A scored comparison's quality: per column, each metric of its evaluation run with the 95%
 * interval (the quality metrics chosen, then latency and tokens), and each column's difference
 * from the first with its p-value and verdict (the evaluation run comparison).
 */
import type { CompareResult } from '@keel/api/prompts';
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { Link } from '../../lib/router';
import { runHref } from '../evaluations/experiment-runs';

const costMetrics = ['latency', 'tokens', 'cost'];

export function CompareQuality({
  result,
  columnName,
}: {
  result: CompareResult;
  columnName: (index: number) => string;
}) {
  const { t, format } = useI18n();
  const id = useId();
  const names = [...(result.metrics ?? []), ...costMetrics].filter((name) =>
    result.summary.some((column) => column.metrics?.[name]),
  );
  if (!names.length) return null;
  const value = (name: string, x: number) =>
    name === 'latency'
      ? format.milliseconds(x)
      : format.number(x, { maximumFractionDigits: Math.abs(x) >= 10 ? 1 : 3 });
  const items = result.rows.length;
  // Differences in the order of the quality table (metrics it does not show last).
  const order = (metric: string) => (names.includes(metric) ? names.indexOf(metric) : names.length);
  const baseline = columnName(0);
  return (
    <section className="card stack compare-quality" aria-labelledby={id}>
      <h3 id={id}>{t('compare.quality')}</h3>
      <div className="table-wrap">
        <table aria-label={t('compare.quality')}>
          <caption>
            {result.dataset
              ? t('compare.qualityCaption', {
                  dataset: `${result.dataset.name}@${result.dataset.version}`,
                  count: format.number(items),
                })
              : t('compare.qualityCaptionInputs', { count: format.number(items) })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('compare.metric')}</th>
              {result.columns.map((column) => (
                <th scope="col" key={column.index}>
                  {columnName(column.index)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {names.map((name) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                {result.summary.map((column) => {
                  const metric = column.metrics?.[name];
                  return (
                    <td key={column.column}>
                      {metric ? (
                        <>
                          <strong>{value(name, metric.score)}</strong>
                          {metric.ci ? (
                            <span className="hint">
                              {' '}
                              (
                              {t('compare.interval', {
                                low: value(name, metric.ci.low),
                                high: value(name, metric.ci.high),
                              })}
                              )
                            </span>
                          ) : null}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">{t('compare.openRun')}</th>
              {result.summary.map((column) => (
                <td key={column.column}>
                  {column.run_id ? <Link href={runHref(column.run_id)}>{column.run_id}</Link> : '—'}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {(result.significance ?? [])
        .filter((entry) => entry.metrics.length)
        .map((entry) => (
          <div className="table-wrap" key={entry.column}>
            <table
              aria-label={`${columnName(entry.column)}: ${t('compare.significance', { column: baseline })}`}
            >
              <caption>
                {columnName(entry.column)}: {t('compare.significance', { column: baseline })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('compare.metric')}</th>
                  <th scope="col">{t('compare.difference')}</th>
                  <th scope="col">{t('compare.pValue')}</th>
                  <th scope="col">{t('compare.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {[...entry.metrics]
                  .sort((a, b) => order(a.metric) - order(b.metric))
                  .map((metric) => (
                    <tr key={metric.metric}>
                      <th scope="row">{metric.metric}</th>
                      <td>
                        {metric.difference > 0 ? '+' : ''}
                        {value(metric.metric, metric.difference)}
                      </td>
                      <td>{format.number(metric.p_value, { maximumSignificantDigits: 2 })}</td>
                      <td>{t(`compare.verdict.${metric.verdict}`)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
