/** Starts an evaluation run of a model (or a saved prompt template) over a dataset, with thresholds. */
import type { EvaluationJson } from '@keel/api/evals';
import type { Dataset } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { NumberField } from '../../components/number-field';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

/** "rouge_l >= 0.4, latency_ms <= 2000" → thresholds. */
export function parseThresholds(text: string): { metric: string; min?: number; max?: number }[] | null {
  const thresholds: { metric: string; min?: number; max?: number }[] = [];
  for (const part of text.split(',').map((each) => each.trim())) {
    if (!part) continue;
    const match = /^([\w.:-]+)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$/.exec(part);
    if (!match) return null;
    const value = Number(match[3]);
    thresholds.push(
      match[2] === '>=' ? { metric: match[1]!, min: value } : { metric: match[1]!, max: value },
    );
  }
  return thresholds;
}

export function NewRunForm({
  datasets,
  onCreated,
}: {
  datasets: readonly Dataset[];
  onCreated(run: EvaluationJson): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = {
    title: useId(),
    dataset: useId(),
    model: useId(),
    template: useId(),
    metrics: useId(),
    thresholds: useId(),
  };
  const [dataset, setDataset] = useState('');
  const [model, setModel] = useState('');
  const [template, setTemplate] = useState('');
  const [metrics, setMetrics] = useState('exact_match, f1');
  const [thresholds, setThresholds] = useState('');
  const [maxTokens, setMaxTokens] = useState<number | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const parsed = parseThresholds(thresholds);
    if (!parsed) {
      setError({ code: 'invalid_request', message: t('evals.thresholdsHelp'), status: 0 });
      return;
    }
    const parameters = maxTokens ? { parameters: { max_new_tokens: maxTokens } } : {};
    try {
      const run = await client.evals.create({
        dataset: dataset || datasets[0]!.id,
        target: template.trim()
          ? {
              kind: 'template',
              prompt: template.trim(),
              ...(model.trim() ? { model: model.trim() } : {}),
              ...parameters,
            }
          : { kind: 'model', model: model.trim(), ...parameters },
        metrics: metrics
          .split(',')
          .map((each) => each.trim())
          .filter(Boolean),
        ...(parsed.length ? { thresholds: parsed } : {}),
      });
      onCreated(run);
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  if (!datasets.length) return null;
  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby={ids.title}>
      <h3 id={ids.title} className="visually-hidden">
        {t('evals.newRun')}
      </h3>
      <div className="field">
        <label htmlFor={ids.dataset}>{t('evals.dataset')}</label>
        <select
          id={ids.dataset}
          value={dataset || datasets[0]!.id}
          onChange={(event) => setDataset(event.target.value)}
        >
          {datasets.map((each) => (
            <option key={each.id} value={each.id}>
              {each.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.model}>{t('evals.model')}</label>
        <input
          id={ids.model}
          value={model}
          onChange={(event) => setModel(event.target.value)}
          placeholder="llamacpp:…"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.template}>{t('evals.template')}</label>
        <input id={ids.template} value={template} onChange={(event) => setTemplate(event.target.value)} />
      </div>
      <NumberField
        label={t('evals.maxTokens')}
        value={maxTokens}
        onChange={setMaxTokens}
        min={1}
        max={100_000}
        step={1}
        optional
        unsetText={t('evals.modelDefault')}
      />
      <div className="field grow">
        <label htmlFor={ids.metrics}>{t('evals.metricsField')}</label>
        <input
          id={ids.metrics}
          value={metrics}
          onChange={(event) => setMetrics(event.target.value)}
          required
        />
      </div>
      <div className="field grow">
        <label htmlFor={ids.thresholds}>{t('evals.thresholds')}</label>
        <input
          id={ids.thresholds}
          value={thresholds}
          onChange={(event) => setThresholds(event.target.value)}
          placeholder="f1 >= 0.5"
        />
      </div>
      <button type="submit" className="button" disabled={!model.trim() && !template.trim()}>
        {t('evals.startRun')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}
