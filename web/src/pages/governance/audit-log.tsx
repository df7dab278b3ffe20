/** The project's audit log, newest first, with a check of the hash chain for administrators. */
import type { AuditVerifyJson } from '@keel/api/audit';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

export function AuditLog({ changed }: { changed: number }) {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const ids = { title: useId(), action: useId() };
  const [action, setAction] = useState('');
  const page = useLoad(
    () =>
      client.audit.list({
        order: 'desc',
        limit: 50,
        ...(projectId ? { project_id: projectId } : {}),
        ...(action.trim() ? { action: action.trim() } : {}),
      }),
    [projectId, action, changed],
  );
  const [verify, setVerify] = useState<AuditVerifyJson | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const check = async () => {
    setError(null);
    setVerify(null);
    setVerifying(true);
    try {
      setVerify(await client.audit.verify());
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setVerifying(false);
    }
  };
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <div className="section-head">
        <h2 id={ids.title}>{t('gov.audit')}</h2>
        {can('manage') ? (
          <button type="button" className="button" disabled={verifying} onClick={() => void check()}>
            {t('gov.verify')}
          </button>
        ) : null}
      </div>
      {verifying ? <Loading label={t('gov.verifying')} /> : null}
      {verify ? (
        <div className={`notice ${verify.ok ? 'notice-success' : 'notice-warning'}`} role="status">
          <p>
            {verify.ok
              ? t('gov.chainIntact', { records: format.number(verify.records) })
              : t('gov.chainBroken', { seq: String(verify.problem?.seq ?? '?') })}
          </p>
          {verify.problem ? (
            <p className="notice-meta">
              {verify.problem.message} (<code>{verify.problem.kind}</code>)
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      <div className="field">
        <label htmlFor={ids.action}>{t('gov.action')}</label>
        <input
          id={ids.action}
          value={action}
          onChange={(event) => setAction(event.target.value)}
          placeholder="governance.asset.transition"
        />
      </div>
      {page.status === 'failed' ? <ErrorNotice error={page.error} /> : null}
      {'value' in page && page.value ? (
        <div className="table-wrap">
          <table aria-label={t('gov.audit')}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('gov.when')}</th>
                <th scope="col">{t('gov.action')}</th>
                <th scope="col">{t('gov.target')}</th>
                <th scope="col">{t('gov.actor')}</th>
              </tr>
            </thead>
            <tbody>
              {page.value.records.map((record) => (
                <tr key={record.seq}>
                  <td>{record.seq}</td>
                  <td>{format.dateTime(record.at)}</td>
                  <td>
                    <code>{record.action}</code>
                  </td>
                  <td>
                    {record.target.type}
                    {record.target.id ? ` ${record.target.id}` : ''}
                  </td>
                  <td>
                    {record.actor.user_id ?? record.actor.key_id ?? '—'}
                    {record.actor.role ? ` (${record.actor.role})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : page.status === 'loading' ? (
        <Loading />
      ) : null}
    </section>
  );
}
