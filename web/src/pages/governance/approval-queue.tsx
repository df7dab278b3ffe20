/** The approval queue: assets waiting in the approve stage, with a go / no-go decision and reasons. */
import type { AssetJson } from '@keel/api/governance';
import type { ApprovalOutcome } from '@keel/sdk';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

function Decide({ asset, onDecided }: { asset: AssetJson; onDecided(outcome: ApprovalOutcome): void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const id = useId();
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const decide = async (decision: 'go' | 'no_go') => {
    setError(null);
    try {
      onDecided(
        await client.governance.approvals.decide({ asset_id: asset.id, decision, reasons: reasons.trim() }),
      );
      setReasons('');
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  return (
    <div className="inline-form">
      <div className="field grow">
        <label htmlFor={id}>{t('gov.reasonsFor', { asset: asset.name })}</label>
        <input id={id} value={reasons} onChange={(event) => setReasons(event.target.value)} />
      </div>
      <button type="button" className="button" disabled={!reasons.trim()} onClick={() => void decide('go')}>
        {t('gov.go')}
      </button>
      <button
        type="button"
        className="button"
        disabled={!reasons.trim()}
        onClick={() => void decide('no_go')}
      >
        {t('gov.noGo')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}

export function ApprovalQueue({
  useCaseId,
  changed,
  onChanged,
}: {
  useCaseId: string | null;
  changed: number;
  onChanged(): void;
}) {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const title = useId();
  const queue = useLoad(
    () => client.governance.approvals.pending(useCaseId ? { use_case_id: useCaseId } : {}),
    [projectId, useCaseId, changed],
  );
  const [outcome, setOutcome] = useState<ApprovalOutcome | null>(null);
  const value = 'value' in queue ? queue.value : undefined;
  return (
    <section className="page-section" aria-labelledby={title}>
      <h2 id={title}>{t('gov.approvals')}</h2>
      {queue.status === 'failed' ? <ErrorNotice error={queue.error} /> : null}
      {outcome ? (
        <div className={`notice ${outcome.approved ? 'notice-success' : 'notice-warning'}`} role="status">
          <p>
            {t(outcome.approval.decision === 'go' ? 'gov.recordedGo' : 'gov.recordedNoGo')}{' '}
            {outcome.approved ? t('gov.nowApproved') : ''}
          </p>
          {outcome.missing.map((missing) => (
            <p key={missing.code} className="notice-meta">
              {missing.message} (<code>{missing.code}</code>)
            </p>
          ))}
        </div>
      ) : null}
      {value ? (
        value.pending.length ? (
          <ul className="approval-queue">
            {value.pending.map((asset) => (
              <li key={asset.id} className="card">
                <strong>{asset.name}</strong>{' '}
                <span className="notice-meta">
                  {asset.kind} · {asset.ref} · {t('gov.revision', { revision: String(asset.revision) })} ·{' '}
                  {format.dateTime(asset.updated_at)}
                </span>
                {can('validate') ? (
                  <Decide
                    asset={asset}
                    onDecided={(result) => {
                      setOutcome(result);
                      queue.reload();
                      onChanged();
                    }}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="notice">{t('gov.queueEmpty')}</p>
        )
      ) : queue.status === 'loading' ? (
        <Loading />
      ) : null}
      {value?.approvals.length ? (
        <div className="table-wrap">
          <table aria-label={t('gov.decisions')}>
            <thead>
              <tr>
                <th scope="col">{t('gov.decision')}</th>
                <th scope="col">{t('gov.reasons')}</th>
                <th scope="col">{t('gov.approver')}</th>
                <th scope="col">{t('gov.when')}</th>
              </tr>
            </thead>
            <tbody>
              {value.approvals.map((approval) => (
                <tr key={approval.id}>
                  <td>{t(approval.decision === 'go' ? 'gov.go' : 'gov.noGo')}</td>
                  <td>{approval.reasons}</td>
                  <td>
                    {approval.approver} ({approval.approver_role})
                  </td>
                  <td>{format.dateTime(approval.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
