/**
 * The run history of the project (`GET /api/v1/prompt-runs`), newest first, searchable over
 * prompts and outputs. Restore puts what a run used — template, model, parameters, variable
 * values — back into the editor, and shows its output.
 */
import type { PromptRun } from '@keel/api/prompts';
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

const pageSize = 20;

export function HistoryPanel({
  refreshKey,
  onRestore,
}: {
  /** Changes after each run, so the new run shows up. */
  refreshKey: number;
  onRestore(run: PromptRun): void;
}) {
  const { t, format } = useI18n();
  const { client, projectId } = useSession();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [runs, setRuns] = useState<PromptRun[]>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ShownError>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey and projectId trigger a reload.
  useEffect(() => {
    let cancelled = false;
    const timer = window.setTimeout(() => {
      client.prompts.runs.search({ limit: pageSize, ...(query.trim() ? { q: query.trim() } : {}) }).then(
        (page) => {
          if (cancelled) return;
          setRuns(page.runs);
          setNext(page.next);
          setError(undefined);
        },
        (cause: unknown) => !cancelled && setError(describeError(cause)),
      );
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, query, refreshKey, projectId]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await client.prompts.runs.search({
        limit: pageSize,
        before: next,
        ...(query.trim() ? { q: query.trim() } : {}),
      });
      setRuns((current) => [...(current ?? []), ...page.runs]);
      setNext(page.next);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  return (
    <div className="history-panel stack small">
      <div className="field">
        <label htmlFor={searchId}>{t('history.search')}</label>
        <input id={searchId} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      </div>
      {error ? <ErrorNotice error={error} title={t('history.loadFailed')} /> : null}
      {!runs && !error ? <Loading /> : null}
      {runs?.length === 0 ? <p className="hint">{t(query ? 'history.noMatch' : 'history.empty')}</p> : null}
      <ol className="history-list" aria-label={t('history.title')}>
        {runs?.map((run) => {
          const preview = run.status === 'ok' ? run.output : (run.error?.code ?? '');
          return (
            <li key={run.id} className="history-item">
              <div className="history-meta">
                <span className={`status-pill status-${run.status === 'ok' ? 'done' : 'failed'}`}>
                  {t(run.status === 'ok' ? 'run.status.done' : 'run.status.failed')}
                </span>
                <time dateTime={run.created_at}>{format.dateTime(run.created_at)}</time>
              </div>
              <p className="history-model">
                <code>{run.model}</code>
                {run.template ? ` · ${run.template.name}@${run.template.version}` : ''}
              </p>
              <p className="history-preview">{preview.trim().slice(0, 120) || t('history.emptyOutput')}</p>
              <button
                type="button"
                className="button small"
                aria-label={t('history.restoreRun', { time: format.dateTime(run.created_at) })}
                onClick={() => onRestore(run)}
              >
                {t('history.restore')}
              </button>
            </li>
          );
        })}
      </ol>
      {next ? (
        <button type="button" className="button small ghost" onClick={() => void more()}>
          {t('history.more')}
        </button>
      ) : null}
    </div>
  );
}
