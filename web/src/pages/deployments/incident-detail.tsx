/** One incident: its status and times, the notes, and acknowledge / resolve / add a note. */
import type { IncidentJson } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

export function IncidentDetail({
  incident,
  onChanged,
}: {
  incident: IncidentJson;
  onChanged(next: IncidentJson): void;
}) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const ids = { title: useId(), note: useId() };
  const [note, setNote] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const change = async (body: { status?: 'acknowledged' | 'resolved'; note?: string }) => {
    setError(null);
    setBusy(true);
    try {
      onChanged(await client.monitors.updateIncident(incident.id, body));
      if (body.note) setNote('');
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };
  const addNote = (event: FormEvent) => {
    event.preventDefault();
    if (note.trim()) void change({ note: note.trim() });
  };
  return (
    <section className="page-section incident-detail" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('inc.details', { title: incident.title })}</h2>
      <dl className="facts">
        <div>
          <dt>{t('inc.status')}</dt>
          <dd data-testid="incident-status">{t(`inc.status.${incident.status}`)}</dd>
        </div>
        <div>
          <dt>{t('inc.severity')}</dt>
          <dd>{incident.severity}</dd>
        </div>
        <div>
          <dt>{t('inc.opened')}</dt>
          <dd>{format.dateTime(incident.created_at)}</dd>
        </div>
        {incident.acknowledged_at ? (
          <div>
            <dt>{t('inc.status.acknowledged')}</dt>
            <dd>{format.dateTime(incident.acknowledged_at)}</dd>
          </div>
        ) : null}
        {incident.resolved_at ? (
          <div>
            <dt>{t('inc.status.resolved')}</dt>
            <dd>{format.dateTime(incident.resolved_at)}</dd>
          </div>
        ) : null}
      </dl>
      {can('write') && incident.status !== 'resolved' ? (
        <div className="toolbar">
          {incident.status === 'open' ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void change({ status: 'acknowledged' })}
            >
              {t('inc.acknowledge')}
            </button>
          ) : null}
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => void change({ status: 'resolved' })}
          >
            {t('inc.resolve')}
          </button>
        </div>
      ) : null}
      <h3>{t('inc.notes')}</h3>
      {incident.notes.length ? (
        <ul className="notes" aria-label={t('inc.notes')}>
          {incident.notes.map((entry) => (
            <li key={`${entry.at}-${entry.text}`}>
              <p>{entry.text}</p>
              <p className="hint">
                {entry.by ?? '—'} · {format.dateTime(entry.at)}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t('inc.noNotes')}</p>
      )}
      {can('write') ? (
        <form className="inline-form" onSubmit={addNote}>
          <div className="field grow">
            <label htmlFor={ids.note}>{t('inc.note')}</label>
            <textarea
              id={ids.note}
              value={note}
              onChange={(event) => setNote(event.target.value)}
              maxLength={4000}
            />
          </div>
          <button type="submit" className="button" disabled={busy || !note.trim()}>
            {t('inc.addNote')}
          </button>
        </form>
      ) : null}
      {error ? <ErrorNotice error={error} title={t('inc.updateFailed')} /> : null}
    </section>
  );
}
