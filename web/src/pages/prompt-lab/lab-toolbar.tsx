/** The Prompt Lab's header: title, which template is open, mode, model, view, save actions. */
import { useI18n } from '../../i18n/i18n-context';
import type { ModelChoice } from '../../lib/use-model-directory';
import { useSession } from '../../session/session-context';
import { ModeSwitch } from './mode-switch';
import { ModelPicker } from './model-picker';
import type { PromptDraft } from './prompt-draft';
import type { SaveMode } from './save-dialog';

export function LabToolbar({
  draft,
  models,
  view,
  onView,
  onChange,
  onSave,
}: {
  draft: PromptDraft;
  models: readonly ModelChoice[];
  view: 'editor' | 'compare';
  onView(view: 'editor' | 'compare'): void;
  onChange(patch: Partial<PromptDraft>): void;
  onSave(mode: SaveMode): void;
}) {
  const { t } = useI18n();
  const { can } = useSession();
  return (
    <header className="page-head lab-head">
      <div className="title-group">
        <h1 id="prompt-lab-title">{t('nav.promptLab')}</h1>
        <p className="hint" data-testid="draft-origin">
          {draft.origin
            ? t('lab.editingTemplate', { name: draft.origin.name, version: draft.origin.version })
            : t('lab.unsavedDraft')}
        </p>
      </div>
      <div className="toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('lab.view')}</legend>
          {(['editor', 'compare'] as const).map((option) => (
            <button key={option} type="button" aria-pressed={view === option} onClick={() => onView(option)}>
              {t(`lab.view.${option}`)}
            </button>
          ))}
        </fieldset>
        <ModeSwitch mode={draft.mode} onChange={(mode) => onChange({ mode })} />
        <ModelPicker models={models} value={draft.modelId} onChange={(modelId) => onChange({ modelId })} />
        {can('write') ? (
          <div className="save-actions">
            {draft.origin ? (
              <button type="button" className="button primary" onClick={() => onSave('version')}>
                {t('save.saveVersion')}
              </button>
            ) : null}
            <button
              type="button"
              className={draft.origin ? 'button' : 'button primary'}
              onClick={() => onSave('new')}
            >
              {t('save.saveAsNew')}
            </button>
          </div>
        ) : null}
      </div>
    </header>
  );
}
