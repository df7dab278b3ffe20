/**
 * Create a deployment: name, serving name, space (an existing one, or a new one with its stage),
 * the pinned template version and optional model, limits and budget on the deployment, and an
 * optional traffic split with a second template version. It runs as steps — space, deployment,
 * limits, split — and the API's validation errors show beside the field they name
 * (`issues[].path`); a step that failed after the deployment was made is retried alone.
 */
import type { DeploymentJson, SpaceJson } from '@keel/sdk';
import { KeelApiError } from '@keel/sdk';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

const stages = ['development', 'staging', 'production', 'other'] as const;
const periods = ['total', 'day', 'month'] as const;
const limitFields = [
  ['rpm', 'requests_per_minute'],
  ['tpm', 'tokens_per_minute'],
  ['tokenBudget', 'token_budget'],
  ['costBudget', 'cost_budget'],
] as const;
type LimitField = (typeof limitFields)[number][0];
type Field =
  | 'name'
  | 'servingName'
  | 'space'
  | 'spaceName'
  | 'assetRef'
  | 'model'
  | LimitField
  | 'splitRef'
  | 'splitWeight';
type Problems = Partial<Record<Field, string>>;

const NEW_SPACE = '__new__';

/** The API's issues by field: `issues[].path` through `paths`, else all on `fallback`. */
function problemsOf(cause: unknown, paths: Record<string, Field>, fallback: Field): Problems {
  const out: Problems = {};
  const issues = cause instanceof KeelApiError ? cause.issues : [];
  for (const issue of issues) {
    const path = (issue.path ?? []).join('.');
    const field = paths[path] ?? paths[String(issue.path?.[0] ?? '')];
    if (field) out[field] = out[field] ? `${out[field]}; ${issue.message}` : issue.message;
  }
  if (!Object.keys(out).length) out[fallback] = describeError(cause).message;
  return out;
}

const number = (text: string) => (text.trim() === '' ? undefined : Number(text));

export function DeploymentCreateForm({
  spaces,
  onCreated,
  onSpacesChanged,
}: {
  spaces: readonly SpaceJson[];
  onCreated(deployment: DeploymentJson): void;
  onSpacesChanged(): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const id = useId();
  const field = (name: Field | string) => `${id}-${name}`;
  const [name, setName] = useState('');
  const [servingName, setServingName] = useState('');
  const [space, setSpace] = useState(spaces.find((entry) => entry.name === 'default')?.id ?? '');
  const [spaceName, setSpaceName] = useState('');
  const [stage, setStage] = useState<(typeof stages)[number]>('development');
  const [assetType, setAssetType] = useState<'prompt_template' | 'rag_collection'>('prompt_template');
  const [assetRef, setAssetRef] = useState('');
  const [model, setModel] = useState('');
  const [limits, setLimits] = useState<Record<LimitField, string>>({
    rpm: '',
    tpm: '',
    tokenBudget: '',
    costBudget: '',
  });
  const [period, setPeriod] = useState<(typeof periods)[number]>('total');
  const [splitOn, setSplitOn] = useState(false);
  const [splitRef, setSplitRef] = useState('');
  const [splitWeight, setSplitWeight] = useState('90');
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  /** Made already by an earlier submit whose later step failed: only the rest is retried. */
  const [created, setCreated] = useState<DeploymentJson | null>(null);
  const [splitDone, setSplitDone] = useState(false);
  /** The second version, once added: a retried split does not add it again. */
  const [secondVersion, setSecondVersion] = useState<number | null>(null);

  const reset = () => {
    setName('');
    setServingName('');
    setAssetRef('');
    setModel('');
    setLimits({ rpm: '', tpm: '', tokenBudget: '', costBudget: '' });
    setSplitOn(false);
    setSplitRef('');
    setCreated(null);
    setSplitDone(false);
    setSecondVersion(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblems({});
    setError(null);
    setBusy(true);
    // Each step names the fields its issues belong to; a failed step stops the rest.
    const step = async <T,>(run: () => Promise<T>, paths: Record<string, Field>, fallback: Field) => {
      try {
        return await run();
      } catch (cause) {
        setProblems(problemsOf(cause, paths, fallback));
        setError(describeError(cause));
        throw cause;
      }
    };
    try {
      let deployment = created;
      if (!deployment) {
        let spaceRef = space || undefined;
        if (space === NEW_SPACE) {
          const made = await step(
            () => client.spaces.create({ name: spaceName, stage }),
            { name: 'spaceName', stage: 'spaceName' },
            'spaceName',
          );
          spaceRef = made.id;
          setSpace(made.id);
          onSpacesChanged();
        }
        deployment = await step(
          () =>
            client.deployments.create({
              name,
              ...(servingName.trim() ? { serving_name: servingName.trim() } : {}),
              ...(spaceRef ? { space: spaceRef } : {}),
              asset: { type: assetType, ref: assetRef.trim() },
              ...(model.trim() ? { model: model.trim() } : {}),
            }),
          {
            name: 'name',
            serving_name: 'servingName',
            space: 'space',
            space_id: 'space',
            asset: 'assetRef',
            'asset.ref': 'assetRef',
            'asset.type': 'assetRef',
            model: 'model',
          },
          'assetRef',
        );
        setCreated(deployment);
      }
      const made = deployment;
      for (const [key, metric] of limitFields) {
        const value = number(limits[key]);
        if (value === undefined) continue;
        const budget = metric === 'token_budget' || metric === 'cost_budget';
        await step(
          () =>
            client.limits.set({
              scope_type: 'deployment',
              scope_id: made.id,
              metric,
              limit: value,
              ...(budget ? { period } : {}),
            }),
          { limit: key, period: key, metric: key },
          key,
        );
      }
      if (splitOn && !splitDone) {
        const weight = number(splitWeight) ?? Number.NaN;
        const second =
          secondVersion ??
          (
            await step(
              () => client.deployments.update(made.id, { asset: { type: assetType, ref: splitRef.trim() } }),
              { asset: 'splitRef', 'asset.ref': 'splitRef', model: 'splitRef' },
              'splitRef',
            )
          ).current_version;
        setSecondVersion(second);
        deployment = await step(
          () =>
            client.deployments.split(made.id, {
              versions: [
                { version: made.current_version, weight },
                { version: second, weight: 100 - weight },
              ],
            }),
          { versions: 'splitWeight' },
          'splitWeight',
        );
        setSplitDone(true);
      }
      onCreated(deployment);
      reset();
    } catch {
      // Shown beside the fields (and in the notice below).
    } finally {
      setBusy(false);
    }
  };

  const problemId = (name: Field) => `${field(name)}-problem`;
  const invalid = (name: Field) =>
    problems[name] ? { 'aria-invalid': true as const, 'aria-describedby': problemId(name) } : {};
  const problem = (name: Field): ReactNode =>
    problems[name] ? (
      <p className="field-error" id={problemId(name)}>
        {problems[name]}
      </p>
    ) : null;
  const text = (name: Field, label: string, value: string, set: (next: string) => void, extra = {}) => (
    <div className="field">
      <label htmlFor={field(name)}>{label}</label>
      <input
        id={field(name)}
        value={value}
        onChange={(event) => set(event.target.value)}
        {...invalid(name)}
        {...extra}
      />
      {problem(name)}
    </div>
  );
  const locked = Boolean(created);

  return (
    <form className="deployment-create-form" onSubmit={submit} aria-label={t('dep.new')}>
      <div className="inline-form">
        {text('name', t('dep.form.name'), name, setName, { required: true, disabled: locked })}
        {text('servingName', t('dep.form.servingName'), servingName, setServingName, { disabled: locked })}
        <div className="field">
          <label htmlFor={field('space')}>{t('dep.space')}</label>
          <select
            id={field('space')}
            value={space}
            disabled={locked}
            onChange={(event) => setSpace(event.target.value)}
            {...invalid('space')}
          >
            {spaces.some((entry) => entry.name === 'default') ? null : (
              // The project's default space, made with its first deployment.
              <option value="">
                {t('dep.form.spaceOption', { name: 'default', stage: t('dep.stage.development') })}
              </option>
            )}
            {spaces.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {t('dep.form.spaceOption', { name: entry.name, stage: t(`dep.stage.${entry.stage}`) })}
              </option>
            ))}
            <option value={NEW_SPACE}>{t('dep.form.newSpace')}</option>
          </select>
          {problem('space')}
        </div>
        {space === NEW_SPACE ? (
          <>
            {text('spaceName', t('dep.form.spaceName'), spaceName, setSpaceName, { required: true })}
            <div className="field">
              <label htmlFor={field('stage')}>{t('dep.stage')}</label>
              <select
                id={field('stage')}
                value={stage}
                onChange={(event) => setStage(event.target.value as typeof stage)}
              >
                {stages.map((each) => (
                  <option key={each} value={each}>
                    {t(`dep.stage.${each}`)}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : null}
      </div>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={field('assetType')}>{t('dep.form.assetType')}</label>
          <select
            id={field('assetType')}
            value={assetType}
            disabled={locked}
            onChange={(event) => setAssetType(event.target.value as typeof assetType)}
          >
            <option value="prompt_template">{t('dep.assetType.prompt_template')}</option>
            <option value="rag_collection">{t('dep.assetType.rag_collection')}</option>
          </select>
        </div>
        {text('assetRef', t('dep.form.assetRef'), assetRef, setAssetRef, {
          required: true,
          disabled: locked,
          placeholder: assetType === 'prompt_template' ? 'name@2' : 'collection@1',
        })}
        {text('model', t('dep.form.model'), model, setModel, {
          disabled: locked,
          placeholder: 'provider:model',
        })}
      </div>
      <fieldset>
        <legend>{t('dep.form.limits')}</legend>
        <div className="inline-form">
          {limitFields.map(([key]) =>
            text(
              key,
              t(`dep.form.limit.${key}`),
              limits[key],
              (next) => setLimits((all) => ({ ...all, [key]: next })),
              { type: 'number', step: 'any' },
            ),
          )}
          <div className="field">
            <label htmlFor={field('period')}>{t('dep.form.period')}</label>
            <select
              id={field('period')}
              value={period}
              onChange={(event) => setPeriod(event.target.value as typeof period)}
            >
              {periods.map((each) => (
                <option key={each} value={each}>
                  {t(`dep.form.period.${each}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('dep.split')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={splitOn}
            disabled={splitDone}
            onChange={(event) => setSplitOn(event.target.checked)}
          />{' '}
          {t('dep.form.splitOn')}
        </label>
        {splitOn ? (
          <div className="inline-form">
            {text('splitRef', t('dep.form.splitRef'), splitRef, setSplitRef, {
              required: true,
              disabled: secondVersion !== null,
            })}
            {text('splitWeight', t('dep.splitWeight'), splitWeight, setSplitWeight, {
              type: 'number',
              step: 'any',
            })}
          </div>
        ) : null}
      </fieldset>
      {created ? (
        <p className="notice" role="status">
          {t('dep.form.partly', { name: created.name })}
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={busy}>
        {created ? t('dep.form.finish') : t('dep.form.create')}
      </button>
      {error ? <ErrorNotice error={error} title={t('dep.form.failed')} /> : null}
    </form>
  );
}
