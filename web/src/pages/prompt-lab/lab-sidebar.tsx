/** The Prompt Lab's left column: run history, saved templates (with versions), sample prompts. */
import type { PromptRun, PromptSample, PromptTemplate } from '@keel/api/prompts';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { HistoryPanel } from './history-panel';
import type { PromptDraft } from './prompt-draft';
import { SamplesPanel } from './samples-panel';
import { TemplatesPanel } from './templates-panel';

const tabs = ['history', 'templates', 'samples'] as const;
type Tab = (typeof tabs)[number];

export function LabSidebar({
  origin,
  refreshKey,
  onRestore,
  onOpenTemplate,
  onUseSample,
}: {
  origin: PromptDraft['origin'];
  refreshKey: number;
  onRestore(run: PromptRun): void;
  onOpenTemplate(template: PromptTemplate): void;
  onUseSample(sample: PromptSample): void;
}) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('history');
  return (
    <aside className="lab-sidebar card" aria-label={t('lab.sidebar')}>
      <fieldset className="segmented sidebar-tabs">
        <legend className="visually-hidden">{t('lab.sidebar')}</legend>
        {tabs.map((option) => (
          <button key={option} type="button" aria-pressed={tab === option} onClick={() => setTab(option)}>
            {t(`sidebar.${option}`)}
          </button>
        ))}
      </fieldset>
      {tab === 'history' ? <HistoryPanel refreshKey={refreshKey} onRestore={onRestore} /> : null}
      {tab === 'templates' ? (
        <TemplatesPanel origin={origin} refreshKey={refreshKey} onOpen={onOpenTemplate} />
      ) : null}
      {tab === 'samples' ? <SamplesPanel onUse={onUseSample} /> : null}
    </aside>
  );
}
