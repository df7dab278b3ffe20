/**
 * The run history of the project (`GET /api/v1/prompt-runs`), newest first, searchable over
 * prompts and outputs. Restore puts what a run used — template, model, parameters, variable
 * values — back into the editor, and shows its output. Runs are listed as stored: masked where the
 * guardrail policy masks; each item can ask for a run's original values (see `HistoryItem`).
 */
import type { PromptRun } from '@keel/api/prompts';
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';
import { HistoryItem } from './history-item';
import { useMayReveal } from './use-restore-roles';

const pageSize = 20;

export function HistoryPanel({
  refreshKey,
  onRestore,
}: {
  /** Changes after each run, so the new run shows up. */
  refreshKey: number;
  onRestore(run: PromptRun): void;
}) {
  const { t } = useI18n();
  const { client, projectId } = useSession();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [runs, setRuns] = useState<PromptRun[]>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ShownError>();
  const mayReveal = useMayReveal(
    (runs ?? []).flatMap((run) => (run.redaction?.sealed ? [run.redaction.policy] : [])),
  );

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
        {runs?.map((run) => (
          <HistoryItem
            key={run.id}
            run={run}
            mayReveal={Boolean(run.redaction && mayReveal(run.redaction.policy))}
            onRestore={onRestore}
            onRevealed={(revealed) =>
              setRuns((current) => current?.map((entry) => (entry.id === revealed.id ? revealed : entry)))
            }
          />
        ))}
      </ol>
      {next ? (
        <button type="button" className="button small ghost" onClick={() => void more()}>
          {t('history.more')}
        </button>
      ) : null}
    </div>
  );
}
