/**
 * Every watsonx generation parameter with its range. Sampling knobs are disabled under greedy
 * decoding (watsonx ignores them there).
 */
import { useId } from 'react';
import { NumberField } from '../../components/number-field';
import { useI18n } from '../../i18n/i18n-context';
import {
  defaultParameters,
  type GenerationParameters,
  type NumericParameter,
  numericRanges,
  parameterProblems,
} from './generation-parameters';
import { StopSequencesField } from './stop-sequences-field';

const order: NumericParameter[] = [
  'temperature',
  'top_k',
  'top_p',
  'random_seed',
  'repetition_penalty',
  'max_new_tokens',
  'min_new_tokens',
  'time_limit',
  'truncate_input_tokens',
];

export function ParametersPanel({
  value,
  onChange,
  maxTokens,
}: {
  value: GenerationParameters;
  onChange(value: GenerationParameters): void;
  maxTokens: number;
}) {
  const { t, format } = useI18n();
  const id = useId();
  const ranges = numericRanges(maxTokens);
  const problems = parameterProblems(value, maxTokens);
  const set = (patch: Partial<GenerationParameters>) => onChange({ ...value, ...patch });
  const sampling = value.decoding_method === 'sample';

  return (
    <section className="panel" aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id} className="panel-title">
          {t('lab.parameters')}
        </h2>
        <button
          type="button"
          className="button small ghost"
          onClick={() => onChange({ ...defaultParameters })}
        >
          {t('lab.resetParameters')}
        </button>
      </div>
      <fieldset className="field">
        <legend>{t('param.decoding_method')}</legend>
        <div className="segmented radio-segmented">
          {(['greedy', 'sample'] as const).map((method) => (
            <label key={method} className={value.decoding_method === method ? 'is-checked' : undefined}>
              <input
                type="radio"
                name={`${id}-decoding`}
                checked={value.decoding_method === method}
                onChange={() => set({ decoding_method: method })}
              />
              {t(`param.decoding.${method}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {order.map((name) => {
        const range = ranges[name];
        const problem = problems.find((entry) => entry.parameter === name);
        const disabled = Boolean(range.samplingOnly) && !sampling;
        const hint = problem
          ? t(problem.problem === 'minAboveMax' ? 'param.minAboveMax' : 'param.outOfRange', {
              min: format.number(range.min),
              max: format.number(range.max),
            })
          : disabled
            ? t('param.samplingOnly')
            : t('param.range', { min: format.number(range.min), max: format.number(range.max) });
        return (
          <NumberField
            key={name}
            label={t(`param.${name}`)}
            value={value[name]}
            onChange={(next) => set({ [name]: next } as Partial<GenerationParameters>)}
            min={range.min}
            max={range.max}
            step={range.step}
            slider={range.slider ?? false}
            optional={range.optional ?? false}
            disabled={disabled}
            invalid={Boolean(problem)}
            hint={hint}
            unsetText={t('param.unset')}
          />
        );
      })}
      <StopSequencesField
        value={value.stop_sequences}
        onChange={(stop_sequences) => set({ stop_sequences })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.include_stop_sequence}
          onChange={(event) => set({ include_stop_sequence: event.target.checked })}
        />
        {t('param.include_stop_sequence')}
      </label>
    </section>
  );
}
