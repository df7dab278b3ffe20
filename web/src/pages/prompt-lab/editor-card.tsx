/** The editor of the current mode, the token budget with Run / Stop, and a failed run's error. */
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import type { ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';
import { ChatEditor } from './chat-editor';
import { FewShotNote } from './few-shot-note';
import { FreeformEditor } from './freeform-editor';
import type { PromptDraft } from './prompt-draft';
import { RunBar } from './run-bar';
import { StructuredEditor } from './structured-editor';
import type { TokenCount } from './use-token-count';

export function EditorCard({
  draft,
  onChange,
  tokens,
  contextLength,
  running,
  blockers,
  onRun,
  onStop,
  failure,
}: {
  draft: PromptDraft;
  onChange(patch: Partial<PromptDraft>): void;
  tokens: TokenCount;
  contextLength: number | undefined;
  running: boolean;
  blockers: string[];
  onRun(): void;
  onStop(): void;
  failure: ShownError | undefined;
}) {
  const { t } = useI18n();
  const { can } = useSession();
  return (
    <div className="card editor-card">
      {draft.mode === 'structured' ? (
        <StructuredEditor
          value={draft.structured}
          values={draft.variables}
          onChange={(structured) => onChange({ structured })}
        />
      ) : draft.mode === 'freeform' ? (
        <FreeformEditor value={draft.freeform} onChange={(freeform) => onChange({ freeform })} />
      ) : (
        <ChatEditor value={draft.chat} onChange={(chat) => onChange({ chat })} />
      )}
      <FewShotNote extras={draft.extras} />
      <RunBar
        tokens={tokens}
        contextLength={contextLength}
        running={running}
        canRun={can('invoke')}
        blockers={blockers}
        onRun={onRun}
        onStop={onStop}
      />
      {failure ? (
        <ErrorNotice error={failure} title={t('run.failed')}>
          <p className="hint">{t('run.draftKept')}</p>
        </ErrorNotice>
      ) : null}
    </div>
  );
}
