/**
 * The streamed answer. Text arrives in a plain region (a live region would read every token
 * aloud); the status line below it is announced when the run ends. An interrupted stream keeps
 * its text and says so.
 */
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import type { RunState } from './run-prompt';
import { RunSummary } from './run-summary';

export function OutputPanel({ run }: { run: RunState | undefined }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="output-panel" aria-labelledby={id} aria-busy={run?.status === 'running'}>
      <h2 id={id} className="panel-title">
        {t('lab.output')}
      </h2>
      <div className="output-text" data-testid="run-output">
        {run?.output ? (
          run.output
        ) : (
          <span className="hint">
            {!run
              ? t('lab.noOutputYet')
              : run.status === 'running'
                ? t('run.waiting')
                : t('history.emptyOutput')}
          </span>
        )}
        {run?.status === 'running' ? <span className="cursor" aria-hidden="true" /> : null}
      </div>
      <div aria-live="polite">
        {run && run.status !== 'running' ? <RunSummary run={run} /> : null}
        {run?.status === 'interrupted' ? (
          <p className="notice notice-warning" role="alert">
            {t('run.interrupted')}
            {run.error ? ` (${run.error.message})` : ''}
          </p>
        ) : null}
      </div>
      {run?.warnings.length ? (
        <ul className="warnings" aria-label={t('run.warnings')}>
          {run.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
