import { useI18n } from '../../i18n/i18n-context';
import { type Dimension, seriesName, type UsageRow } from './usage-series';

/** Totals for the range, one row per model or key: the numbers behind the charts. */
export function UsageTable({
  rows,
  dimension,
  label,
}: {
  rows: readonly UsageRow[];
  dimension: Dimension;
  label(name: string): string;
}) {
  const { t, format } = useI18n();
  const sorted = [...rows].sort((a, b) => b.requests - a.requests);
  return (
    <div className="table-wrap">
      <table>
        <caption>{t('usage.totals')}</caption>
        <thead>
          <tr>
            <th scope="col">{t(dimension === 'model' ? 'usage.model' : 'usage.key')}</th>
            <th scope="col" className="numeric">
              {t('usage.requests')}
            </th>
            <th scope="col" className="numeric">
              {t('usage.errors')}
            </th>
            <th scope="col" className="numeric">
              {t('usage.inputTokens')}
            </th>
            <th scope="col" className="numeric">
              {t('usage.outputTokens')}
            </th>
            <th scope="col" className="numeric">
              {t('usage.latencyAvg')}
            </th>
            <th scope="col" className="numeric">
              {t('usage.latencyP95')}
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const name = seriesName(row, dimension);
            return (
              <tr key={name}>
                <th scope="row">
                  <code>{label(name)}</code>
                </th>
                <td className="numeric">{format.number(row.requests)}</td>
                <td className="numeric">{format.number(row.errors)}</td>
                <td className="numeric">{format.number(row.input_tokens)}</td>
                <td className="numeric">{format.number(row.output_tokens)}</td>
                <td className="numeric">{format.milliseconds(row.latency_ms_avg)}</td>
                <td className="numeric">{format.milliseconds(row.latency_ms_p95)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
