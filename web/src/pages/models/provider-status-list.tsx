import type { ModelsOverview } from '@keel/api/models';
import { useI18n } from '../../i18n/i18n-context';

/** Each configured provider and whether Keel can reach it right now. */
export function ProviderStatusList({ providers }: { providers: ModelsOverview['providers'] }) {
  const { t, format } = useI18n();
  return (
    <ul className="provider-list">
      {providers.map((provider) => (
        <li key={provider.name} className="provider-card card">
          <div className="provider-head">
            <strong>{provider.name}</strong>
            <span className="hint">{provider.type}</span>
          </div>
          <p className={`status-pill ${provider.reachable ? 'status-done' : 'status-failed'}`}>
            {provider.reachable ? t('models.reachable') : t('models.unreachable')}
            {provider.latency_ms !== undefined ? ` · ${format.milliseconds(provider.latency_ms)}` : ''}
          </p>
          {provider.message ? <p className="hint">{provider.message}</p> : null}
        </li>
      ))}
    </ul>
  );
}
