/**
 * Join keys between the project's tables: each proposed pair with its score and evidence (share of
 * values found, how the names match, the kind of value), and its status. Editors propose them again
 * (decisions are kept) and accept or reject each one; viewers read.
 */
import type { DataJoinKeyJson } from '@keel/sdk';
import { useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

export function JoinKeysPanel({ revision }: { revision: number }) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const [changes, setChanges] = useState(0);
  const joins = useLoad(() => client.data.joins(), [client, revision, changes]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);

  async function act(work: () => Promise<unknown>) {
    setError(null);
    setBusy(true);
    try {
      await work();
      setChanges((value) => value + 1);
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  }

  const percent = (value: number) => format.number(value, { style: 'percent', maximumFractionDigits: 0 });
  const list = joins.status === 'failed' ? undefined : joins.value;

  return (
    <section aria-labelledby="data-joins">
      <h2 id="data-joins">{t('data.joins')}</h2>
      <p>{t('data.joinsIntro')}</p>
      {can('write') ? (
        <p>
          <button type="button" disabled={busy} onClick={() => act(() => client.data.discoverJoins())}>
            {busy ? t('data.discovering') : t('data.discoverJoins')}
          </button>
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {joins.status === 'failed' ? <ErrorNotice error={joins.error} /> : null}
      {joins.status === 'loading' && !list ? <Loading /> : null}
      {list && list.length === 0 ? <p>{t('data.noJoins')}</p> : null}
      {list && list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption>{t('data.joinsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.joinFrom')}</th>
                <th scope="col">{t('data.joinTo')}</th>
                <th scope="col">{t('data.joinScore')}</th>
                <th scope="col">{t('data.joinEvidence')}</th>
                <th scope="col">{t('data.joinStatus')}</th>
                {can('write') ? <th scope="col">{t('data.joinDecide')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.map((join) => (
                <JoinRow
                  key={join.id}
                  join={join}
                  percent={percent}
                  busy={busy}
                  onDecide={(status) => act(() => client.data.decideJoin(join.id, status))}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function JoinRow({
  join,
  percent,
  busy,
  onDecide,
}: {
  join: DataJoinKeyJson;
  percent(value: number): string;
  busy: boolean;
  onDecide(status: DataJoinKeyJson['status']): void;
}) {
  const { t, format } = useI18n();
  const { can } = useSession();
  const from = `${join.from_table}.${join.from_column}`;
  const to = `${join.to_table}.${join.to_column}`;
  const evidence = join.evidence;
  return (
    <tr>
      <th scope="row">{from}</th>
      <td>{to}</td>
      <td>{format.number(join.score, { maximumFractionDigits: 2 })}</td>
      <td>
        {t('data.joinEvidenceText', {
          containment: percent(evidence.containment),
          from: format.number(evidence.from_distinct),
          names: t(`data.joinName.${evidence.name_rule}`, {
            similarity: format.number(evidence.name_similarity, { maximumFractionDigits: 2 }),
          }),
          type: evidence.type_family,
        })}
        {evidence.sampled ? ` ${t('data.joinSampled')}` : ''}
      </td>
      <td>{t(`data.joinStatus.${join.status}`)}</td>
      {can('write') ? (
        <td>
          <button
            type="button"
            disabled={busy || join.status === 'accepted'}
            aria-label={t('data.acceptJoin', { from, to })}
            onClick={() => onDecide('accepted')}
          >
            {t('data.accept')}
          </button>{' '}
          <button
            type="button"
            disabled={busy || join.status === 'rejected'}
            aria-label={t('data.rejectJoin', { from, to })}
            onClick={() => onDecide('rejected')}
          >
            {t('data.reject')}
          </button>
        </td>
      ) : null}
    </tr>
  );
}
