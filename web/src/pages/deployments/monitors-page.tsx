/**
 * Monitors: the project's monitors, a form to create one or edit the selected one (kind,
 * thresholds, webhook), "run now", and the selected monitor's runs with drift plots for drift
 * monitors.
 */
import type { MonitorJson } from '@keel/sdk';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import '../../styles/evals.css';
import './deployments.css';
import { MonitorForm } from './monitor-form';
import { MonitorResults } from './monitor-results';

export function MonitorsPage() {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const title = useId();
  const [selected, setSelected] = useState<string | null>(() =>
    new URLSearchParams(window.location.search).get('id'),
  );
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const data = useLoad(async () => {
    const [monitors, deployments] = await Promise.all([client.monitors.list(), client.deployments.list()]);
    return { monitors, deployments: deployments.deployments };
  }, [client, projectId]);
  const value = data.status === 'failed' ? undefined : data.value;
  const monitors: MonitorJson[] = value?.monitors ?? [];
  const names = new Map(value?.deployments.map((deployment) => [deployment.id, deployment.name]));
  const shown = monitors.find((monitor) => monitor.id === selected);
  const onSaved = (monitor: MonitorJson, webhookSecret: string | null) => {
    setSecret(webhookSecret);
    setSaved(true);
    setSelected(monitor.id);
    data.reload();
  };
  return (
    <div className="page monitors-page">
      <h1 id={title}>{t('nav.monitors')}</h1>
      {data.status === 'failed' ? <ErrorNotice error={data.error} title={t('mon.loadFailed')} /> : null}
      {data.status === 'loading' && !value ? <Loading /> : null}
      {value && monitors.length === 0 ? <p className="notice">{t('mon.none')}</p> : null}
      {monitors.length ? (
        <div className="table-wrap">
          <table aria-label={t('mon.list')}>
            <thead>
              <tr>
                <th scope="col">{t('mon.name')}</th>
                <th scope="col">{t('mon.kind')}</th>
                <th scope="col">{t('mon.deployment')}</th>
                <th scope="col">{t('mon.thresholds')}</th>
                <th scope="col">{t('mon.enabled')}</th>
                <th scope="col">{t('mon.lastRun')}</th>
              </tr>
            </thead>
            <tbody>
              {monitors.map((monitor) => (
                <tr key={monitor.id}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={monitor.id === selected}
                      onClick={() => {
                        setSelected(monitor.id);
                        setSecret(null);
                        setSaved(false);
                      }}
                    >
                      {monitor.name}
                    </button>
                  </td>
                  <td>{t(`mon.kind.${monitor.kind}`)}</td>
                  <td>
                    {monitor.deployment_id
                      ? (names.get(monitor.deployment_id) ?? monitor.deployment_id)
                      : t('mon.allTraffic')}
                  </td>
                  <td>
                    {monitor.thresholds
                      .map((threshold) => `${threshold.metric} ${threshold.operator} ${threshold.value}`)
                      .join(', ') || '—'}
                  </td>
                  <td>{monitor.enabled ? '✓' : '—'}</td>
                  <td>{monitor.last_run_at ? format.dateTime(monitor.last_run_at) : t('mon.never')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {saved ? (
        <p className="notice notice-success" role="status">
          {t('mon.saved')} {secret ? t('mon.webhookSecret', { secret }) : null}
        </p>
      ) : null}
      {shown ? <MonitorResults key={shown.id} monitor={shown} onRan={data.reload} /> : null}
      {can('write') && value ? (
        <section
          className="page-section"
          aria-label={shown ? t('mon.edit', { name: shown.name }) : t('mon.new')}
        >
          <h2>{shown ? t('mon.edit', { name: shown.name }) : t('mon.new')}</h2>
          {shown ? (
            <button type="button" className="button ghost small" onClick={() => setSelected(null)}>
              {t('mon.new')}
            </button>
          ) : null}
          <MonitorForm
            key={shown?.id ?? 'new'}
            monitor={shown}
            deployments={value.deployments}
            onSaved={onSaved}
          />
        </section>
      ) : null}
    </div>
  );
}
