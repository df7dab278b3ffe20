/** The use-case inventory with filters (status, risk tier, tag) and a way to register a use case. */
import type { UseCaseJson } from '@keel/api/governance';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

const statuses = ['active', 'blocked', 'retired'] as const;
const tiers = ['prohibited', 'high', 'limited', 'minimal'] as const;

function NewUseCase({ onCreated }: { onCreated(useCase: UseCaseJson): void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { name: useId(), tags: useId() };
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await client.governance.useCases.create({
        name: name.trim(),
        tags: tags
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
      });
      setName('');
      setTags('');
      onCreated(created);
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={ids.name}>{t('gov.newUseCase')}</label>
        <input id={ids.name} value={name} onChange={(event) => setName(event.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={ids.tags}>{t('gov.tags')}</label>
        <input
          id={ids.tags}
          value={tags}
          onChange={(event) => setTags(event.target.value)}
          placeholder="hr, korea"
        />
      </div>
      <button type="submit" className="button">
        {t('gov.register')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

export function InventorySection({
  selected,
  onSelect,
  changed,
}: {
  selected: string | null;
  onSelect(id: string): void;
  changed: number;
}) {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const ids = { title: useId(), status: useId(), tier: useId(), tag: useId() };
  const [status, setStatus] = useState('');
  const [tier, setTier] = useState('');
  const [tag, setTag] = useState('');
  const useCases = useLoad(
    (signal) =>
      client.governance.useCases
        .list({
          ...(status ? { status: status as (typeof statuses)[number] } : {}),
          ...(tier ? { risk_tier: tier as (typeof tiers)[number] } : {}),
          ...(tag.trim() ? { tag: tag.trim() } : {}),
        })
        .then((r) => (signal.aborted ? [] : r.use_cases)),
    [projectId, status, tier, tag, changed],
  );
  const list: UseCaseJson[] = ('value' in useCases ? useCases.value : undefined) ?? [];
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('gov.inventory')}</h2>
      {can('write') ? (
        <NewUseCase
          onCreated={(created) => {
            onSelect(created.id);
            useCases.reload();
          }}
        />
      ) : null}
      <fieldset className="inline-form">
        <legend className="visually-hidden">{t('gov.filters')}</legend>
        <div className="field">
          <label htmlFor={ids.status}>{t('gov.status')}</label>
          <select id={ids.status} value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">{t('gov.any')}</option>
            {statuses.map((each) => (
              <option key={each} value={each}>
                {t(`gov.status.${each}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.tier}>{t('gov.riskTier')}</label>
          <select id={ids.tier} value={tier} onChange={(event) => setTier(event.target.value)}>
            <option value="">{t('gov.any')}</option>
            {tiers.map((each) => (
              <option key={each} value={each}>
                {t(`gov.tier.${each}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.tag}>{t('gov.tag')}</label>
          <input id={ids.tag} value={tag} onChange={(event) => setTag(event.target.value)} />
        </div>
      </fieldset>
      {useCases.status === 'failed' ? <ErrorNotice error={useCases.error} /> : null}
      {list.length ? (
        <div className="table-wrap">
          <table aria-label={t('gov.inventory')}>
            <thead>
              <tr>
                <th scope="col">{t('gov.useCase')}</th>
                <th scope="col">{t('gov.status')}</th>
                <th scope="col">{t('gov.riskTier')}</th>
                <th scope="col">{t('gov.tags')}</th>
                <th scope="col">{t('gov.approaches')}</th>
                <th scope="col">{t('gov.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((useCase) => (
                <tr key={useCase.id}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={useCase.id === selected}
                      onClick={() => onSelect(useCase.id)}
                    >
                      {useCase.name}
                    </button>
                  </td>
                  <td>{t(`gov.status.${useCase.status}`)}</td>
                  <td>{useCase.risk_tier ? t(`gov.tier.${useCase.risk_tier}`) : t('gov.notAssessed')}</td>
                  <td>{useCase.tags.join(', ')}</td>
                  <td>{format.number(useCase.approaches.length)}</td>
                  <td>{format.dateTime(useCase.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : useCases.status === 'loaded' ? (
        <p className="notice">{t('gov.noUseCases')}</p>
      ) : useCases.status === 'loading' ? (
        <Loading />
      ) : null}
    </section>
  );
}
