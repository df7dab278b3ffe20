/**
 * Incidents and alerts: incidents filtered by status, the selected one with its notes and the
 * acknowledge / resolve actions, and the alerts monitors raised with their webhook delivery.
 */
import type { IncidentJson } from '@keel/sdk';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import '../../styles/evals.css';
import './deployments.css';
import { IncidentDetail } from './incident-detail';

const statuses = ['open', 'acknowledged', 'resolved'] as const;

export function IncidentsPage() {
  const { t, format } = useI18n();
  const { client, projectId } = useSession();
  const ids = { status: useId(), alerts: useId() };
  const [status, setStatus] = useState<'' | (typeof statuses)[number]>('');
  const [selected, setSelected] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);
  const data = useLoad(async () => {
    const [incidents, alerts, monitors] = await Promise.all([
      client.monitors.incidents(status ? { status } : {}),
      client.monitors.alerts({ limit: 100 }),
      client.monitors.list(),
    ]);
    return { incidents, alerts, monitors: new Map(monitors.map((monitor) => [monitor.id, monitor.name])) };
  }, [client, projectId, status, changed]);
  const shownIncident = useLoad(
    async () => (selected ? client.monitors.incident(selected) : null),
    [client, selected, changed],
  );
  const value = data.status === 'failed' ? undefined : data.value;
  const incidents: IncidentJson[] = value?.incidents ?? [];
  const incident = shownIncident.status === 'failed' ? null : shownIncident.value;
  return (
    <div className="page incidents-page">
      <h1>{t('nav.incidents')}</h1>
      <section className="page-section" aria-label={t('inc.list')}>
        <div className="inline-form">
          <div className="field">
            <label htmlFor={ids.status}>{t('inc.status')}</label>
            <select
              id={ids.status}
              value={status}
              onChange={(event) => setStatus(event.target.value as typeof status)}
            >
              <option value="">{t('inc.any')}</option>
              {statuses.map((each) => (
                <option key={each} value={each}>
                  {t(`inc.status.${each}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="button" onClick={data.reload}>
            {t('common.refresh')}
          </button>
        </div>
        {data.status === 'failed' ? <ErrorNotice error={data.error} title={t('inc.loadFailed')} /> : null}
        {data.status === 'loading' && !value ? <Loading /> : null}
        {value && incidents.length === 0 ? <p className="hint">{t('inc.none')}</p> : null}
        {incidents.length ? (
          <div className="table-wrap">
            <table aria-label={t('inc.list')}>
              <thead>
                <tr>
                  <th scope="col">{t('inc.title')}</th>
                  <th scope="col">{t('inc.status')}</th>
                  <th scope="col">{t('inc.severity')}</th>
                  <th scope="col">{t('inc.monitor')}</th>
                  <th scope="col">{t('inc.opened')}</th>
                </tr>
              </thead>
              <tbody>
                {incidents.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        aria-pressed={entry.id === selected}
                        onClick={() => setSelected(entry.id)}
                      >
                        {entry.title}
                      </button>
                    </td>
                    <td>
                      <span className={`status-pill incident-${entry.status}`}>
                        {t(`inc.status.${entry.status}`)}
                      </span>
                    </td>
                    <td>{entry.severity}</td>
                    <td>
                      {entry.monitor_id ? (value?.monitors.get(entry.monitor_id) ?? entry.monitor_id) : '—'}
                    </td>
                    <td>{format.dateTime(entry.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {incident ? (
        <IncidentDetail key={incident.id} incident={incident} onChanged={() => setChanged((n) => n + 1)} />
      ) : null}
      <section className="page-section" aria-labelledby={ids.alerts}>
        <h2 id={ids.alerts}>{t('inc.alerts')}</h2>
        {value && value.alerts.length === 0 ? <p className="hint">{t('inc.noAlerts')}</p> : null}
        {value?.alerts.length ? (
          <div className="table-wrap">
            <table aria-label={t('inc.alerts')}>
              <thead>
                <tr>
                  <th scope="col">{t('inc.raised')}</th>
                  <th scope="col">{t('inc.monitor')}</th>
                  <th scope="col">{t('mon.metric')}</th>
                  <th scope="col">{t('inc.severity')}</th>
                  <th scope="col">{t('inc.delivery')}</th>
                </tr>
              </thead>
              <tbody>
                {value.alerts.map((alert) => (
                  <tr key={alert.id}>
                    <td>{format.dateTime(alert.created_at)}</td>
                    <td>{value.monitors.get(alert.monitor_id) ?? alert.monitor_id}</td>
                    <td>
                      {t('inc.alert', {
                        metric: alert.metric,
                        operator: alert.operator,
                        threshold: alert.threshold,
                        value: alert.value,
                      })}
                    </td>
                    <td>{alert.severity}</td>
                    <td title={alert.delivery_error ?? undefined}>{t(`inc.delivery.${alert.delivery}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
