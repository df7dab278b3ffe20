/** One line about a finished run: status, finish reason, tokens, timings, cost. */
import { useI18n } from '../../i18n/i18n-context';
import type { RunState } from './run-prompt';

export function RunSummary({ run }: { run: RunState }) {
  const { t, format } = useI18n();
  const parts: string[] = [];
  if (run.finishReason) parts.push(t('run.stopReason', { reason: run.finishReason }));
  if (run.inputTokens !== undefined)
    parts.push(t('run.inputTokens', { count: format.number(run.inputTokens) }));
  if (run.outputTokens !== undefined)
    parts.push(t('run.outputTokens', { count: format.number(run.outputTokens) }));
  if (run.firstTextMs !== undefined)
    parts.push(t('run.firstText', { time: format.milliseconds(run.firstTextMs) }));
  if (run.totalMs !== undefined) parts.push(t('run.total', { time: format.milliseconds(run.totalMs) }));
  if (run.cost !== undefined) parts.push(t('run.cost', { cost: format.money(run.cost) }));
  return (
    <p className="run-summary" data-testid="run-summary">
      <span className={`status-pill status-${run.status}`}>{t(`run.status.${run.status}`)}</span>
      {parts.length ? <span className="run-facts">{parts.join(' · ')}</span> : null}
    </p>
  );
}
