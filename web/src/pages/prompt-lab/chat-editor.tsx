/**
 * Chat mode: a system prompt, the conversation so far (editable, each turn removable) and the
 * next user message. A finished answer joins the conversation (see prompt-lab-page).
 */
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import type { ChatPrompt, ChatTurn } from './prompt-draft';

export function ChatEditor({ value, onChange }: { value: ChatPrompt; onChange(value: ChatPrompt): void }) {
  const { t } = useI18n();
  const ids = { system: useId(), message: useId() };
  const set = (patch: Partial<ChatPrompt>) => onChange({ ...value, ...patch });
  const setTurn = (index: number, patch: Partial<ChatTurn>) =>
    set({ turns: value.turns.map((turn, at) => (at === index ? { ...turn, ...patch } : turn)) });
  return (
    <div className="chat-editor stack">
      <div className="field">
        <label htmlFor={ids.system}>{t('lab.systemPrompt')}</label>
        <textarea
          id={ids.system}
          rows={3}
          value={value.system}
          placeholder={t('lab.systemPlaceholder')}
          onChange={(event) => set({ system: event.target.value })}
        />
      </div>
      {value.turns.length ? (
        <ol className="chat-turns" aria-label={t('lab.conversation')}>
          {value.turns.map((turn, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are identified by position.
            <li key={index} className={`chat-turn chat-${turn.role}`}>
              <div className="chat-turn-head">
                <strong>{t(turn.role === 'user' ? 'lab.roleUser' : 'lab.roleAssistant')}</strong>
                <button
                  type="button"
                  className="button small ghost"
                  aria-label={t('lab.removeTurn', { n: index + 1 })}
                  onClick={() => set({ turns: value.turns.filter((_, at) => at !== index) })}
                >
                  ✕
                </button>
              </div>
              <textarea
                rows={2}
                aria-label={t('lab.turnText', { n: index + 1 })}
                value={turn.content}
                onChange={(event) => setTurn(index, { content: event.target.value })}
              />
            </li>
          ))}
        </ol>
      ) : null}
      <div className="field">
        <label htmlFor={ids.message}>{t('lab.nextMessage')}</label>
        <textarea
          id={ids.message}
          rows={3}
          value={value.message}
          placeholder={t('lab.messagePlaceholder')}
          onChange={(event) => set({ message: event.target.value })}
        />
      </div>
      {value.turns.length ? (
        <button type="button" className="button small ghost" onClick={() => set({ turns: [] })}>
          {t('lab.clearConversation')}
        </button>
      ) : null}
    </div>
  );
}
