/**
 * Deployments: the project's deployments with their pinned asset version, space and stage, and
 * rollout split; a selected one shows its versions, rollback and split actions and live metric
 * charts that refresh while the page is open. "New deployment" opens the create form.
 */
import type { DeploymentJson } from '@keel/sdk';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import '../../styles/evals.css';
import { DeploymentCreateForm } from './deployment-create-form';
import { DeploymentDetail } from './deployment-detail';
import { assetLabel, currentAsset, servingLabel } from './deployment-labels';
import './deployments.css';

export function DeploymentsPage() {
  const { t, format } = useI18n();
  const { client, projectId } = useSession();
  const title = useId();
  const [selected, setSelected] = useState<string | null>(() =>
    new URLSearchParams(window.location.search).get('id'),
  );
  const list = useLoad(() => client.deployments.list().then((r) => r.deployments), [client, projectId]);
  const spaces = useLoad(() => client.spaces.list().then((r) => r.spaces), [client, projectId]);
  const [creating, setCreating] = useState(false);
  const [createdName, setCreatedName] = useState<string | null>(null);
  const deployments: DeploymentJson[] = (list.status === 'failed' ? undefined : list.value) ?? [];
  const shown = deployments.find((entry) => entry.id === selected);
  return (
    <div className="page deployments-page">
      <div className="section-head">
        <h1 id={title}>{t('nav.deployments')}</h1>
        <button
          type="button"
          className="button"
          aria-expanded={creating}
          onClick={() => {
            setCreating((open) => !open);
            setCreatedName(null);
          }}
        >
          {t('dep.new')}
        </button>
      </div>
      {creating && spaces.status !== 'failed' && spaces.value ? (
        <DeploymentCreateForm
          spaces={spaces.value}
          onSpacesChanged={() => spaces.reload()}
          onCreated={(deployment) => {
            setCreating(false);
            setCreatedName(deployment.name);
            setSelected(deployment.id);
            list.reload();
          }}
        />
      ) : null}
      {spaces.status === 'failed' && creating ? (
        <ErrorNotice error={spaces.error} title={t('dep.loadFailed')} />
      ) : null}
      {createdName ? (
        <p className="notice notice-success" role="status">
          {t('dep.form.created', { name: createdName })}
        </p>
      ) : null}
      {list.status === 'failed' ? <ErrorNotice error={list.error} title={t('dep.loadFailed')} /> : null}
      {list.status === 'loading' && !list.value ? <Loading /> : null}
      {list.status === 'loaded' && deployments.length === 0 ? (
        <p className="notice" role="status">
          {t('dep.none')}
        </p>
      ) : null}
      {deployments.length ? (
        <div className="table-wrap">
          <table aria-label={t('dep.list')}>
            <thead>
              <tr>
                <th scope="col">{t('dep.name')}</th>
                <th scope="col">{t('dep.asset')}</th>
                <th scope="col">{t('dep.space')}</th>
                <th scope="col">{t('dep.stage')}</th>
                <th scope="col">{t('dep.serving')}</th>
                <th scope="col">{t('dep.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {deployments.map((deployment) => (
                <tr key={deployment.id}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={deployment.id === selected}
                      onClick={() => setSelected(deployment.id)}
                    >
                      {deployment.name}
                    </button>
                    {deployment.serving_name ? (
                      <code className="serving-name">{deployment.serving_name}</code>
                    ) : null}
                  </td>
                  <td>{assetLabel(t, currentAsset(deployment))}</td>
                  <td>{deployment.space.name}</td>
                  <td>
                    <span className={`stage-pill stage-${deployment.space.stage}`}>
                      {t(`dep.stage.${deployment.space.stage}`)}
                    </span>
                  </td>
                  <td>{servingLabel(t, deployment)}</td>
                  <td>{format.dateTime(deployment.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {shown ? (
        <DeploymentDetail
          key={shown.id}
          deployment={shown}
          onChanged={() => list.reload()}
          onClose={() => setSelected(null)}
        />
      ) : null}
    </div>
  );
}
