/**
 * The structured prompt's sections, as watsonx lays them out: instruction, examples (input/output
 * pairs), the input and output prefixes, and the test input. A preview shows the text sent.
 */
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { composeStructured } from './compose-prompt';
import type { FewShotExample, StructuredPrompt } from './prompt-draft';

export function StructuredEditor({
  value,
  values,
  onChange,
}: {
  value: StructuredPrompt;
  /** Variable values, filled into the preview. */
  values: Readonly<Record<string, string>>;
  onChange(value: StructuredPrompt): void;
}) {
  const { t } = useI18n();
  const ids = { instruction: useId(), input: useId(), output: useId(), test: useId() };
  const set = (patch: Partial<StructuredPrompt>) => onChange({ ...value, ...patch });
  const setExample = (index: number, patch: Partial<FewShotExample>) =>
    set({
      examples: value.examples.map((example, at) => (at === index ? { ...example, ...patch } : example)),
    });

  return (
    <div className="structured-editor stack">
      <section className="editor-section" aria-labelledby={`${ids.instruction}-title`}>
        <h3 id={`${ids.instruction}-title`}>{t('lab.instruction')}</h3>
        <label htmlFor={ids.instruction} className="visually-hidden">
          {t('lab.instruction')}
        </label>
        <textarea
          id={ids.instruction}
          rows={3}
          value={value.instruction}
          placeholder={t('lab.instructionPlaceholder')}
          onChange={(event) => set({ instruction: event.target.value })}
        />
      </section>

      <section className="editor-section" aria-labelledby={`${ids.input}-examples`}>
        <div className="section-head">
          <h3 id={`${ids.input}-examples`}>{t('lab.examples')}</h3>
          <button
            type="button"
            className="button small"
            onClick={() => set({ examples: [...value.examples, { input: '', output: '' }] })}
          >
            {t('lab.addExample')}
          </button>
        </div>
        <div className="prefix-row">
          <div className="field">
            <label htmlFor={ids.input}>{t('lab.inputPrefix')}</label>
            <input
              id={ids.input}
              value={value.inputPrefix}
              onChange={(event) => set({ inputPrefix: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.output}>{t('lab.outputPrefix')}</label>
            <input
              id={ids.output}
              value={value.outputPrefix}
              onChange={(event) => set({ outputPrefix: event.target.value })}
            />
          </div>
        </div>
        {value.examples.length === 0 ? <p className="hint">{t('lab.noExamples')}</p> : null}
        <ol className="examples">
          {value.examples.map((example, index) => (
            // Examples have no identity beyond their position; editing never reorders them.
            // biome-ignore lint/suspicious/noArrayIndexKey: position is the identity here.
            <li key={index} className="example-row">
              <label>
                <span>{t('lab.exampleInput', { n: index + 1 })}</span>
                <textarea
                  rows={2}
                  value={example.input}
                  onChange={(event) => setExample(index, { input: event.target.value })}
                />
              </label>
              <label>
                <span>{t('lab.exampleOutput', { n: index + 1 })}</span>
                <textarea
                  rows={2}
                  value={example.output}
                  onChange={(event) => setExample(index, { output: event.target.value })}
                />
              </label>
              <button
                type="button"
                className="button small ghost"
                aria-label={t('lab.removeExample', { n: index + 1 })}
                onClick={() => set({ examples: value.examples.filter((_, at) => at !== index) })}
              >
                ✕
              </button>
            </li>
          ))}
        </ol>
      </section>

      <section className="editor-section" aria-labelledby={`${ids.test}-title`}>
        <h3 id={`${ids.test}-title`}>{t('lab.testInput')}</h3>
        <label htmlFor={ids.test} className="visually-hidden">
          {t('lab.testInput')}
        </label>
        <textarea
          id={ids.test}
          rows={3}
          value={value.testInput}
          placeholder={t('lab.testInputPlaceholder')}
          onChange={(event) => set({ testInput: event.target.value })}
        />
      </section>

      <details className="preview">
        <summary>{t('lab.preview')}</summary>
        <pre>{composeStructured(value, values)}</pre>
      </details>
    </div>
  );
}
