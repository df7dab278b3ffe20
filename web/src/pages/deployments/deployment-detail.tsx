/** One deployment: its pinned versions, what serves now, rollback and split, live metrics and its monitors. */
import type { DeploymentJson } from '@keel/sdk';
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { Link } from '../../lib/router';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { DeploymentActions } from './deployment-actions';
import { assetLabel, servingLabel } from './deployment-labels';
import { LiveMetrics } from './live-metrics';

export function DeploymentDetail({
  deployment,
  onChanged,
  onClose,
}: {
  deployment: DeploymentJson;
  onChanged(next: DeploymentJson): void;
  onClose(): void;
}) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const title = useId();
  const monitors = useLoad(
    () => client.monitors.list({ deployment_id: deployment.id }),
    [client, deployment.id],
  );
  const serving = new Set(
    deployment.split ? deployment.split.versions.map((entry) => entry.version) : [deployment.current_version],
  );
  return (
    <section className="page-section deployment-detail" aria-labelledby={title}>
      <header className="section-head">
        <h2 id={title}>{t('dep.details', { name: deployment.name })}</h2>
        <button type="button" className="button ghost" onClick={onClose}>
          {t('dep.close')}
        </button>
      </header>
      <dl className="facts">
        <div>
          <dt>{t('dep.space')}</dt>
          <dd>
            {deployment.space.name} · {t(`dep.stage.${deployment.space.stage}`)}
          </dd>
        </div>
        <div>
          <dt>{t('dep.serving')}</dt>
          <dd data-testid="serving">{servingLabel(t, deployment)}</dd>
        </div>
      </dl>
      <div className="table-wrap">
        <table aria-label={t('dep.versions')}>
          <thead>
            <tr>
              <th scope="col">{t('dep.version')}</th>
              <th scope="col">{t('dep.asset')}</th>
              <th scope="col">{t('dep.model')}</th>
              <th scope="col">{t('dep.policy')}</th>
              <th scope="col">{t('dep.created')}</th>
            </tr>
          </thead>
          <tbody>
            {deployment.versions.map((version) => (
              <tr key={version.version}>
                <td>
                  v{version.version}
                  {serving.has(version.version) ? (
                    <span className="status-pill status-running">{t('dep.current')}</span>
                  ) : null}
                </td>
                <td>{assetLabel(t, version.asset)}</td>
                <td>{version.model ?? t('dep.templateModel')}</td>
                <td>{version.guardrail_policy ?? '—'}</td>
                <td>{format.dateTime(version.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {can('write') ? <DeploymentActions deployment={deployment} onChanged={onChanged} /> : null}
      <LiveMetrics deploymentId={deployment.id} />
      <section className="page-section">
        <h3>{t('dep.monitorsOf')}</h3>
        {monitors.status === 'loaded' && monitors.value.length === 0 ? (
          <p className="hint">{t('dep.noMonitors')}</p>
        ) : (
          <ul>
            {(monitors.status === 'failed' ? [] : (monitors.value ?? [])).map((monitor) => (
              <li key={monitor.id}>
                <Link href={`/monitors?id=${encodeURIComponent(monitor.id)}`}>{monitor.name}</Link> ·{' '}
                {t(`mon.kind.${monitor.kind}`)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
