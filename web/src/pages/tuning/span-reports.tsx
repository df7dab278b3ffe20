/** Taggers' span-level report: precision, recall and F1 on validation, overall and per entity type. */
import type { HeadVersionJson } from '@keel/sdk';
import { useI18n } from '../../i18n/i18n-context';

export function SpanReports({ heads }: { heads: readonly HeadVersionJson[] }) {
  const { t, format } = useI18n();
  const taggers = heads.filter((head) => head.spans !== null);
  if (taggers.length === 0) return null;
  const value = (n: number) => format.number(n, { maximumFractionDigits: 3 });
  return (
    <section aria-labelledby="tuning-spans">
      <h2 id="tuning-spans">{t('tuning.spans')}</h2>
      {taggers.map((head) => {
        const spans = head.spans!;
        const rows = [
          { key: 'all', name: t('tuning.spans.all'), ...spans },
          ...Object.entries(spans.per_type)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([type, metrics]) => ({ key: type, name: type, ...metrics })),
        ];
        return (
          <table key={head.name}>
            <caption>{t('tuning.spans.caption', { name: head.name, version: head.version })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tuning.spans.type')}</th>
                <th scope="col">{t('tuning.spans.precision')}</th>
                <th scope="col">{t('tuning.spans.recall')}</th>
                <th scope="col">{t('tuning.spans.f1')}</th>
                <th scope="col">{t('tuning.spans.support')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.name}</th>
                  <td>{value(row.precision)}</td>
                  <td>{value(row.recall)}</td>
                  <td>{value(row.f1)}</td>
                  <td>{format.number(row.support)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </section>
  );
}
