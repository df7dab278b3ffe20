/**
 * The `{{variables}}` the prompt uses, found as you type, each with the value filled in at run
 * time. Declared ones show their type, description and default.
 */
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { type EffectiveVariable, inputText, type ValueProblem } from './prompt-variables';

export function VariablesPanel({
  variables,
  values,
  problems,
  onChange,
  onRemoveDeclaration,
}: {
  variables: readonly EffectiveVariable[];
  values: Readonly<Record<string, string>>;
  problems: readonly ValueProblem[];
  onChange(values: Record<string, string>): void;
  /** Drops a declaration the prompt no longer uses. */
  onRemoveDeclaration(name: string): void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id} className="panel-title">
        {t('lab.variables')}
        <span className="count-badge">{variables.length}</span>
      </h2>
      {variables.length === 0 ? (
        <p className="hint">{t('lab.noVariables', { example: '{{name}}' })}</p>
      ) : (
        <div className="stack small">
          {variables.map((variable) => {
            const problem = problems.find((entry) => entry.name === variable.name)?.problem;
            const hintId = `${id}-${variable.name}`;
            const hints = [
              variable.type !== 'string' ? t('lab.variableType', { type: variable.type }) : '',
              variable.description ?? '',
              variable.default !== undefined
                ? t('lab.variableDefault', { value: inputText(variable.default) })
                : '',
              problem === 'invalid' ? t('lab.variableInvalid', { type: variable.type }) : '',
              variable.unused ? t('lab.variableUnused') : '',
            ].filter(Boolean);
            return (
              <label key={variable.name} className="field">
                <span>
                  <code>{`{{${variable.name}}}`}</code>
                  {variable.required ? <span className="hint"> · {t('lab.required')}</span> : null}
                </span>
                <input
                  value={values[variable.name] ?? ''}
                  aria-invalid={Boolean(problem) || undefined}
                  aria-describedby={hints.length ? hintId : undefined}
                  placeholder={
                    variable.default !== undefined ? inputText(variable.default) : t('lab.variableValue')
                  }
                  onChange={(event) => onChange({ ...values, [variable.name]: event.target.value })}
                />
                {hints.length ? (
                  <span id={hintId} className="hint">
                    {hints.join(' · ')}
                  </span>
                ) : null}
                {variable.unused ? (
                  <button
                    type="button"
                    className="button small ghost"
                    onClick={() => onRemoveDeclaration(variable.name)}
                  >
                    {t('lab.removeDeclaration', { name: variable.name })}
                  </button>
                ) : null}
              </label>
            );
          })}
        </div>
      )}
    </section>
  );
}
