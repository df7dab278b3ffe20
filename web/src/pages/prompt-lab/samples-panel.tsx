/**
 * Sample prompts per task, in Korean and English (`GET /api/v1/prompt-samples`): "Use" opens one
 * in the editor with its example values, ready to run.
 */
import type { PromptSample, PromptTask } from '@keel/api/prompts';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

const promptTasks: PromptTask[] = [
  'generate',
  'extract',
  'summarize',
  'classify',
  'qa',
  'rag',
  'chat',
  'code',
];

export function SamplesPanel({ onUse }: { onUse(sample: PromptSample): void }) {
  const { t, language: uiLanguage } = useI18n();
  const { client } = useSession();
  const ids = { language: useId(), task: useId() };
  const [language, setLanguage] = useState<'ko' | 'en'>(uiLanguage);
  const [task, setTask] = useState<PromptTask | ''>('');
  const samples = useLoad(
    () => client.prompts.samples.list({ language, ...(task ? { task } : {}) }),
    [client, language, task],
  );
  return (
    <div className="samples-panel stack small">
      <div className="filters">
        <div className="field">
          <label htmlFor={ids.language}>{t('samples.language')}</label>
          <select
            id={ids.language}
            value={language}
            onChange={(event) => setLanguage(event.target.value as 'ko' | 'en')}
          >
            <option value="ko">한국어</option>
            <option value="en">English</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.task}>{t('samples.task')}</label>
          <select
            id={ids.task}
            value={task}
            onChange={(event) => setTask(event.target.value as PromptTask | '')}
          >
            <option value="">{t('models.allTasks')}</option>
            {promptTasks.map((option) => (
              <option key={option} value={option}>
                {t(`promptTask.${option}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {samples.status === 'failed' ? (
        <ErrorNotice error={samples.error} title={t('samples.loadFailed')} />
      ) : null}
      {samples.status === 'loading' && !samples.value ? <Loading /> : null}
      {samples.status !== 'failed' && samples.value ? (
        <ul className="sample-list">
          {samples.value.samples.map((sample) => (
            <li key={sample.id} className="sample-item" lang={sample.language}>
              <div className="history-meta">
                <span className="tag">{t(`promptTask.${sample.task}`)}</span>
                <span className="hint">{t(`lab.mode.${sample.template.mode}`)}</span>
              </div>
              <strong>{sample.title}</strong>
              <p className="hint">{sample.description}</p>
              <button
                type="button"
                className="button small"
                aria-label={t('samples.useNamed', { title: sample.title })}
                onClick={() => onUse(sample)}
              >
                {t('samples.use')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
