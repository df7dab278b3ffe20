/**
 * The token budget before running (counted by the model's tokenizer, or marked as an estimate),
 * the Run / Stop buttons, and why a run cannot start yet. Roles without `invoke` see no Run button.
 */
import { useI18n } from '../../i18n/i18n-context';
import type { TokenCount } from './use-token-count';

export function RunBar({
  tokens,
  contextLength,
  running,
  canRun,
  blockers,
  onRun,
  onStop,
}: {
  tokens: TokenCount;
  contextLength: number | undefined;
  running: boolean;
  canRun: boolean;
  blockers: string[];
  onRun(): void;
  onStop(): void;
}) {
  const { t, format } = useI18n();
  const budget =
    tokens.status === 'counted' ? tokens.budget : tokens.status === 'counting' ? tokens.previous : undefined;
  let countText: string;
  if (budget)
    countText = t(budget.exact ? 'tokens.count' : 'tokens.estimate', {
      count: format.number(budget.input_tokens),
    });
  else if (tokens.status === 'counting') countText = t('tokens.counting');
  else if (tokens.status === 'unavailable')
    // The server counted and found no room: that is an answer, not a failure to count.
    countText = t(tokens.error.code === 'context_length_exceeded' ? 'tokens.tooLong' : 'tokens.unavailable', {
      reason: tokens.error.message,
    });
  else countText = t('tokens.none');
  const context = budget?.context_length ?? contextLength;
  const overflow =
    (budget?.remaining !== null && budget?.remaining !== undefined && budget.remaining < 0) ||
    (tokens.status === 'unavailable' && tokens.error.code === 'context_length_exceeded');
  return (
    <div className="run-bar">
      {/* Counting tokens runs the model's tokenizer, which needs the invoke permission too. */}
      {canRun ? (
        <p className={overflow ? 'token-count is-overflow' : 'token-count'} data-testid="token-count">
          {countText}
          {context ? (
            <span className="hint"> · {t('tokens.context', { count: format.number(context) })}</span>
          ) : null}
          {overflow && tokens.status !== 'unavailable' ? (
            <span className="notice-inline"> · {t('tokens.overflow')}</span>
          ) : null}
        </p>
      ) : null}
      {canRun ? (
        <div className="run-actions">
          {blockers.length && !running ? (
            <p className="hint blockers" id="run-blockers">
              {blockers.join(' ')}
            </p>
          ) : null}
          {running ? (
            <button type="button" className="button" onClick={onStop}>
              {t('run.stop')}
            </button>
          ) : (
            <button
              type="button"
              className="button primary"
              onClick={onRun}
              disabled={blockers.length > 0}
              aria-describedby={blockers.length ? 'run-blockers' : undefined}
              aria-keyshortcuts="Control+Enter"
            >
              {t('run.run')}
            </button>
          )}
        </div>
      ) : (
        <p className="hint">{t('run.viewerCannotRun')}</p>
      )}
    </div>
  );
}
