/**
 * The Prompt Lab: write a prompt (freeform, structured or chat), fill its variables, tune the
 * parameters, run it with streaming output; keep versions, labels and a history; compare models
 * or versions side by side. Everything goes through the SDK's `client.prompts`.
 */
import type { RenderRequest } from '@keel/api/prompts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { languageModels, useModelDirectory } from '../../lib/use-model-directory';
import { useSession } from '../../session/session-context';
import { CompareView } from './compare-view';
import { draftVariableNames, isDraftEmpty } from './compose-prompt';
import { EditorCard } from './editor-card';
import { parameterProblems } from './generation-parameters';
import { LabSidebar } from './lab-sidebar';
import { LabToolbar } from './lab-toolbar';
import { OutputPanel } from './output-panel';
import { ParametersPanel } from './parameters-panel';
import { loadDraft, type PromptDraft, saveDraft } from './prompt-draft';
import { effectiveVariables, runValues } from './prompt-variables';
import { stateOfRun } from './run-prompt';
import { SaveDialog, type SaveMode } from './save-dialog';
import { draftFromBody, toTemplateBody } from './template-body';
import { usePromptRun } from './use-prompt-run';
import { useTokenCount } from './use-token-count';
import { VariablesPanel } from './variables-panel';

const fallbackMaxTokens = 4096;
type View = 'editor' | 'compare';

export function PromptLabPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [draft, setDraft] = useState<PromptDraft>(loadDraft);
  const [view, setView] = useState<View>('editor');
  const [replaced, setReplaced] = useState<{ previous: PromptDraft; what: string }>();
  const [saving, setSaving] = useState<SaveMode>();
  const [refreshKey, setRefreshKey] = useState(0);
  const directory = useModelDirectory();
  const models = directory.status === 'loaded' ? languageModels(directory.value.choices) : [];
  const model = models.find((choice) => choice.id === draft.modelId);
  const sentMessage = useRef<string>(undefined);

  useEffect(() => saveDraft(draft), [draft]);
  useEffect(() => {
    performance.mark('keel:prompt-lab-rendered');
  }, []);
  // A new draft starts on the first language model the server offers.
  useEffect(() => {
    const first = models[0];
    if (!draft.modelId && first) setDraft((current) => ({ ...current, modelId: first.id }));
  }, [draft.modelId, models]);

  const { run, start, stop, show } = usePromptRun((final) => {
    setRefreshKey((key) => key + 1);
    // A chat answer that arrived in full joins the conversation; anything else leaves the draft as it was.
    const sent = sentMessage.current;
    if (final.status !== 'done' || sent === undefined) return;
    setDraft((current) => ({
      ...current,
      chat: {
        ...current.chat,
        turns: [
          ...current.chat.turns,
          ...(sent.trim() ? [{ role: 'user' as const, content: sent }] : []),
          { role: 'assistant', content: final.output },
        ],
        message: current.chat.message === sent ? '' : current.chat.message,
      },
    }));
  });

  const names = useMemo(() => draftVariableNames(draft), [draft]);
  const variables = useMemo(
    () => effectiveVariables(draft.extras.variables ?? [], names),
    [draft.extras, names],
  );
  const { values, problems } = runValues(variables, draft.variables);
  const template = useMemo(() => toTemplateBody(draft), [draft]);
  const maxTokens = model?.contextLength ?? fallbackMaxTokens;
  const parameterIssues = parameterProblems(draft.parameters, maxTokens);

  const blockers: string[] = [];
  if (!draft.modelId) blockers.push(t('run.blockNoModel'));
  const missing = problems.map((problem) => problem.name);
  if (missing.length) blockers.push(t('run.blockVariables', { names: missing.join(', ') }));
  if (parameterIssues.length) blockers.push(t('run.blockParameters'));
  if (isDraftEmpty(draft)) blockers.push(t('run.blockEmpty'));

  // Counting needs `invoke` (it tokenizes with the model); missing values count as empty text.
  const countRequest: RenderRequest | undefined =
    can('invoke') && draft.modelId && !isDraftEmpty(draft) && !parameterIssues.length
      ? {
          template,
          variables: Object.fromEntries(
            variables.map((variable) => [
              variable.name,
              values[variable.name] ?? (variable.type === 'string' ? '' : variable.default),
            ]),
          ),
        }
      : undefined;
  const tokens = useTokenCount(countRequest);

  const running = run?.status === 'running';
  const runNow = () => {
    if (blockers.length || running || !can('invoke')) return;
    sentMessage.current = draft.mode === 'chat' ? draft.chat.message : undefined;
    void start({ template, variables: values });
  };
  const set = (patch: Partial<PromptDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const replace = (next: PromptDraft, what: string) => {
    setReplaced({ previous: draft, what });
    setDraft(next);
    setView('editor');
    // The answer on screen belonged to the replaced prompt (a restored run shows its own instead).
    show(undefined);
  };

  return (
    <section
      className="page prompt-lab"
      aria-labelledby="prompt-lab-title"
      onKeyDown={(event) => {
        if (view === 'editor' && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          runNow();
        }
      }}
    >
      <LabToolbar
        draft={draft}
        models={models}
        view={view}
        onView={setView}
        onChange={set}
        onSave={setSaving}
      />
      {directory.status === 'failed' ? (
        <ErrorNotice error={directory.error} title={t('lab.modelsFailed')} />
      ) : null}
      {replaced ? (
        <p className="notice" role="status">
          {replaced.what}{' '}
          <button
            type="button"
            className="button small"
            onClick={() => {
              setDraft(replaced.previous);
              setReplaced(undefined);
            }}
          >
            {t('lab.undo')}
          </button>
          <button type="button" className="button small ghost" onClick={() => setReplaced(undefined)}>
            {t('common.dismiss')}
          </button>
        </p>
      ) : null}
      <div className={view === 'compare' ? 'lab-layout comparing' : 'lab-layout'}>
        {/* Comparing needs the width for its columns; the history comes back with the editor. */}
        {view === 'editor' ? (
          <LabSidebar
            origin={draft.origin}
            refreshKey={refreshKey}
            onRestore={(recorded) => {
              // As the server's restore does: the run's template, with the model and parameters it ran with.
              replace(
                draftFromBody(recorded.source, {
                  variables: recorded.variables,
                  model: recorded.model,
                  parameters: recorded.parameters,
                  origin: recorded.template
                    ? { name: recorded.template.name, version: recorded.template.version }
                    : null,
                }),
                // A run read masked restores masked: say so, naming the policy that masked it.
                recorded.redaction?.sealed && !recorded.redaction.revealed
                  ? t('lab.restoredMasked', { policy: recorded.redaction.policy })
                  : t('lab.restored'),
              );
              show(stateOfRun(recorded));
            }}
            onOpenTemplate={(opened) =>
              replace(
                draftFromBody(opened.template, {
                  origin: { name: opened.name, version: opened.version.version },
                }),
                t('lab.opened', { name: opened.name, version: opened.version.version }),
              )
            }
            onUseSample={(sample) =>
              replace(
                draftFromBody(sample.template, {
                  variables: sample.example_variables,
                  model: sample.template.model_id ?? draft.modelId,
                }),
                t('lab.sampleLoaded', { title: sample.title }),
              )
            }
          />
        ) : null}
        {view === 'editor' ? (
          <div className="lab-main stack">
            <EditorCard
              draft={draft}
              onChange={set}
              tokens={tokens}
              contextLength={model?.contextLength}
              running={running}
              blockers={blockers}
              onRun={runNow}
              onStop={stop}
              failure={run?.status === 'failed' ? run.error : undefined}
            />
            <div className="card">
              <OutputPanel run={run} />
            </div>
          </div>
        ) : (
          <div className="lab-main">
            <CompareView draft={draft} models={models} values={values} blockers={blockers} />
          </div>
        )}
        <aside className="lab-side stack" aria-label={t('lab.settings')}>
          <VariablesPanel
            variables={variables}
            values={draft.variables}
            problems={problems}
            onChange={(next) => set({ variables: next })}
            onRemoveDeclaration={(name) =>
              set({
                extras: {
                  ...draft.extras,
                  variables: (draft.extras.variables ?? []).filter((variable) => variable.name !== name),
                },
              })
            }
          />
          <ParametersPanel
            value={draft.parameters}
            onChange={(parameters) => set({ parameters })}
            maxTokens={maxTokens}
          />
        </aside>
      </div>
      <SaveDialog
        mode={saving}
        draft={draft}
        onClose={() => setSaving(undefined)}
        onSaved={(saved) => {
          setSaving(undefined);
          set({ origin: { name: saved.name, version: saved.version.version } });
          setRefreshKey((key) => key + 1);
        }}
      />
    </section>
  );
}
