/**
 * One run of the history: status, time, model, the start of its prompt and output, and Restore.
 * A run kept masked at rest says so (the policy named); a caller whose role the policy lets
 * restore can ask for the original values (`reveal`, audited on the server), which then replace
 * the masked ones in the list — Restore then brings back the original values too.
 */
import type { PromptRun, RenderedPrompt } from '@keel/api/prompts';
import { useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

/** What the user asked: the text of a freeform prompt, or the last user message of a chat. */
function promptPreview(prompt: RenderedPrompt): string {
  if (prompt.type === 'text') return prompt.text;
  const users = prompt.messages.filter((message) => message.role === 'user');
  return (users.at(-1) ?? prompt.messages.at(-1))?.content ?? '';
}

export function HistoryItem({
  run,
  mayReveal,
  onRestore,
  onRevealed,
}: {
  run: PromptRun;
  mayReveal: boolean;
  onRestore(run: PromptRun): void;
  onRevealed(run: PromptRun): void;
}) {
  const { t, format } = useI18n();
  const { client } = useSession();
  const [revealing, setRevealing] = useState(false);
  const [error, setError] = useState<ShownError>();
  const time = format.dateTime(run.created_at);
  const preview = run.status === 'ok' ? run.output : (run.error?.code ?? '');
  const masked = Boolean(run.redaction?.sealed && !run.redaction.revealed);

  const reveal = async () => {
    setRevealing(true);
    try {
      onRevealed(await client.prompts.runs.get(run.id, { reveal: true }));
      setError(undefined);
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setRevealing(false);
    }
  };

  return (
    <li className="history-item" data-run-id={run.id}>
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
      <p className="history-preview" data-testid="history-prompt">
        {promptPreview(run.prompt).trim().slice(0, 120)}
      </p>
      <p className="history-preview">{preview.trim().slice(0, 120) || t('history.emptyOutput')}</p>
      {masked ? (
        <p className="hint" data-testid="history-redaction">
          {t('history.masked', { policy: run.redaction!.policy })}
        </p>
      ) : null}
      {run.redaction?.sealed && run.redaction.revealed ? (
        <p className="hint" data-testid="history-redaction">
          {t('history.revealed', { policy: run.redaction.policy })}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} title={t('history.revealFailed')} /> : null}
      <div className="inline-add">
        <button
          type="button"
          className="button small"
          aria-label={t('history.restoreRun', { time })}
          onClick={() => onRestore(run)}
        >
          {t('history.restore')}
        </button>
        {masked && mayReveal ? (
          <button
            type="button"
            className="button small ghost"
            aria-label={t('history.revealRun', { time })}
            disabled={revealing}
            onClick={() => void reveal()}
          >
            {t('history.reveal')}
          </button>
        ) : null}
      </div>
    </li>
  );
}
