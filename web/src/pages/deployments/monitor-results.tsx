/**
 * One monitor's runs, newest first, with "run now" and, for drift monitors, the drift plots; for
 * fairness monitors, the fairness plots.
 */
import type { MonitorJson } from '@keel/sdk';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { DriftPlots } from './drift-plots';
import { FairnessPlots } from './fairness-plots';

const shownValue = (value: unknown) =>
  typeof value === 'number' ? String(value) : value === null ? '—' : JSON.stringify(value);

export function MonitorResults({ monitor, onRan }: { monitor: MonitorJson; onRan(): void }) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const title = useId();
  const results = useLoad(() => client.monitors.results(monitor.id, 50), [client, monitor.id]);
  const [running, setRunning] = useState(false);
  const [ran, setRan] = useState<number | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      const outcome = await client.monitors.run(monitor.id);
      setRan(outcome.alerts.length);
      results.reload();
      onRan();
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setRunning(false);
    }
  };
  const list = (results.status === 'failed' ? undefined : results.value) ?? [];
  const latest = list[0];
  return (
    <section className="page-section" aria-labelledby={title}>
      <header className="section-head">
        <h2 id={title}>{t('mon.results', { name: monitor.name })}</h2>
        {can('write') ? (
          <button type="button" className="button primary" onClick={() => void run()} disabled={running}>
            {running ? t('mon.running') : t('mon.runNow')}
          </button>
        ) : null}
      </header>
      {ran !== null ? (
        <p className="notice notice-success" role="status">
          {t('mon.ran', { alerts: ran })}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} title={t('mon.runFailed')} /> : null}
      {results.status === 'failed' ? <ErrorNotice error={results.error} /> : null}
      {results.status === 'loaded' && list.length === 0 ? <p className="hint">{t('mon.noResults')}</p> : null}
      {monitor.kind === 'drift' && list.length ? <DriftPlots results={list} /> : null}
      {monitor.kind === 'fairness' && list.length ? <FairnessPlots results={list} /> : null}
      {latest ? (
        <div className="table-wrap">
          <table aria-label={t('mon.values')}>
            <thead>
              <tr>
                <th scope="col">{t('mon.metric')}</th>
                <th scope="col">{t('mon.value')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(latest.metrics).map(([metric, value]) => (
                <tr key={metric}>
                  <th scope="row">{metric}</th>
                  <td>{shownValue(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            {t('mon.ranAt')}: {format.dateTime(latest.created_at)}
          </p>
        </div>
      ) : null}
    </section>
  );
}
