/**
 * Side by side: the draft on several models, or several versions of the template on one model
 * (`POST /api/v1/compare`, streamed — each cell appears as it completes), with the output, tokens,
 * latency and cost of each. Every cell is a recorded run. Scored against a dataset, the columns
 * run over its items and show quality metrics with intervals and the significance of each
 * column's difference from the first.
 */
import type { CompareRequest } from '@keel/api/prompts';
import { useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, isAbort, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import type { ModelChoice } from '../../lib/use-model-directory';
import { useSession } from '../../session/session-context';
import { CompareResults, type CompareState } from './compare-results';
import type { PromptDraft } from './prompt-draft';
import { toTemplateBody } from './template-body';

type Axis = 'models' | 'versions';

const maxColumns = 10;
/** Quality metrics offered (the evaluation registry's text metrics); the first four are chosen at first. */
const qualityMetrics = ['exact_match', 'f1', 'rougeL', 'chrf', 'rouge1', 'bleu'] as const;
const defaultItems = 20;

export function CompareView({
  draft,
  models,
  values,
  blockers,
}: {
  draft: PromptDraft;
  models: readonly ModelChoice[];
  values: Record<string, unknown>;
  blockers: string[];
}) {
  const { t } = useI18n();
  const { client, can } = useSession();
  const id = useId();
  const [axis, setAxis] = useState<Axis>('models');
  const [chosenModels, setChosenModels] = useState<string[]>(() => (draft.modelId ? [draft.modelId] : []));
  const [chosenVersions, setChosenVersions] = useState<number[]>([]);
  const [dataset, setDataset] = useState('');
  const [items, setItems] = useState(defaultItems);
  const [metrics, setMetrics] = useState<string[]>(() => qualityMetrics.slice(0, 4));
  const datasets = useLoad(async () => (await client.evals.datasets()).datasets, [client]);
  const [state, setState] = useState<CompareState>();
  const [error, setError] = useState<ShownError>();
  const controller = useRef<AbortController>(undefined);
  useEffect(() => () => controller.current?.abort(), []);

  const origin = draft.origin;
  const versions = useLoad(
    async () => (origin ? (await client.prompts.versions(origin.name)).versions : []),
    [client, origin?.name],
  );

  const toggle = <T,>(list: T[], item: T) =>
    list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
  const draftVariant = { name: t('compare.draft'), template: toTemplateBody(draft) };
  // The rows: the Variables panel's values, or a dataset's first items scored with the chosen metrics.
  const rows = dataset ? { dataset: { name: dataset, limit: items }, metrics } : { inputs: [values] };
  const request: Omit<CompareRequest, 'stream'> =
    axis === 'models'
      ? { variants: [draftVariant], models: chosenModels, ...rows }
      : {
          variants: [
            draftVariant,
            ...chosenVersions.map((version) => ({
              name: `v${version}`,
              prompt: `${origin?.name}@${version}`,
            })),
          ],
          ...(draft.modelId ? { models: [draft.modelId] } : {}),
          ...rows,
        };
  const columnCount = axis === 'models' ? chosenModels.length : chosenVersions.length + 1;
  const problems = [
    ...blockers,
    ...(columnCount < 2 ? [t(axis === 'models' ? 'compare.pickModels' : 'compare.pickVersions')] : []),
    ...(columnCount > maxColumns ? [t('compare.tooMany', { max: maxColumns })] : []),
    ...(dataset && !metrics.length ? [t('compare.pickMetrics')] : []),
  ];

  const run = async () => {
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    setError(undefined);
    setState({ columns: [], cells: {}, running: true });
    try {
      for await (const event of client.prompts.compareStream(request, own.signal)) {
        if (event.type === 'start') setState({ columns: event.columns, cells: {}, running: true });
        else if (event.type === 'cell')
          setState(
            (current) =>
              current && { ...current, cells: { ...current.cells, [event.cell.column]: event.cell } },
          );
        else if (event.type === 'result')
          setState({
            columns: event.result.columns,
            cells: Object.fromEntries(event.result.rows[0]?.cells.map((cell) => [cell.column, cell]) ?? []),
            running: false,
            wallMs: event.result.wall_ms,
            result: event.result,
          });
      }
      setState((current) => current && { ...current, running: false });
    } catch (cause) {
      if (!isAbort(cause)) setError(describeError(cause));
      setState((current) => current && { ...current, running: false });
    }
  };

  return (
    <section className="compare-view stack" aria-labelledby={id}>
      <h2 id={id} className="visually-hidden">
        {t('compare.title')}
      </h2>
      <div className="card stack">
        <fieldset className="field">
          <legend>{t('compare.axis')}</legend>
          <div className="segmented radio-segmented">
            {(['models', 'versions'] as const).map((option) => (
              <label key={option} className={axis === option ? 'is-checked' : undefined}>
                <input
                  type="radio"
                  name={`${id}-axis`}
                  checked={axis === option}
                  onChange={() => setAxis(option)}
                />
                {t(`compare.axis.${option}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {axis === 'models' ? (
          <fieldset className="field">
            <legend>{t('compare.models')}</legend>
            <div className="checkbox-grid">
              {models.map((model) => (
                <label key={model.id} className="checkbox">
                  <input
                    type="checkbox"
                    checked={chosenModels.includes(model.id)}
                    onChange={() => setChosenModels((list) => toggle(list, model.id))}
                  />
                  <code>{model.id}</code>
                </label>
              ))}
            </div>
          </fieldset>
        ) : !origin ? (
          <p className="hint">{t('compare.saveFirst')}</p>
        ) : (
          <fieldset className="field">
            <legend>{t('compare.versions', { name: origin.name, model: draft.modelId })}</legend>
            <div className="checkbox-grid">
              {versions.status === 'failed' ? <ErrorNotice error={versions.error} /> : null}
              {(versions.status === 'failed' ? [] : (versions.value ?? [])).map((version) => (
                <label key={version.version} className="checkbox">
                  <input
                    type="checkbox"
                    checked={chosenVersions.includes(version.version)}
                    onChange={() => setChosenVersions((list) => toggle(list, version.version))}
                  />
                  v{version.version}
                  {version.labels.length ? ` (${version.labels.join(', ')})` : ''}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <div className="stack compare-score">
          <label className="field">
            <span>{t('compare.score')}</span>
            <select value={dataset} onChange={(event) => setDataset(event.target.value)}>
              <option value="">{t('compare.scoreNone')}</option>
              {(datasets.status === 'loaded' ? datasets.value : []).map((entry) => (
                <option key={entry.id} value={entry.name}>
                  {entry.name}
                </option>
              ))}
            </select>
          </label>
          {datasets.status === 'failed' ? (
            <ErrorNotice error={datasets.error} title={t('compare.datasetsFailed')} />
          ) : null}
          {dataset ? (
            <>
              <label className="field">
                <span>{t('compare.items')}</span>
                <input
                  type="number"
                  min={1}
                  max={100}
                  value={items}
                  onChange={(event) => setItems(Math.min(100, Math.max(1, Number(event.target.value) || 1)))}
                />
              </label>
              <fieldset className="field">
                <legend>{t('compare.metrics')}</legend>
                <div className="checkbox-grid">
                  {qualityMetrics.map((metric) => (
                    <label key={metric} className="checkbox">
                      <input
                        type="checkbox"
                        checked={metrics.includes(metric)}
                        onChange={() => setMetrics((list) => toggle(list, metric))}
                      />
                      <code>{metric}</code>
                    </label>
                  ))}
                </div>
              </fieldset>
              <p className="hint">{t('compare.scoreHint')}</p>
            </>
          ) : null}
        </div>
        {dataset ? null : <p className="hint">{t('compare.inputsHint')}</p>}
        {can('invoke') ? (
          <div className="run-actions">
            {problems.length && !state?.running ? (
              <p className="hint blockers">{problems.join(' ')}</p>
            ) : null}
            {state?.running ? (
              <button type="button" className="button" onClick={() => controller.current?.abort()}>
                {t('run.stop')}
              </button>
            ) : (
              <button
                type="button"
                className="button primary"
                disabled={problems.length > 0}
                onClick={() => void run()}
              >
                {t('compare.run')}
              </button>
            )}
          </div>
        ) : (
          <p className="hint">{t('run.viewerCannotRun')}</p>
        )}
      </div>
      {error ? <ErrorNotice error={error} title={t('compare.failed')} /> : null}
      {state ? <CompareResults state={state} models={models} /> : null}
    </section>
  );
}
