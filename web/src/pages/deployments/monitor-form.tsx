/**
 * Create or edit a monitor: kind, deployment, schedule, window, baseline, the protected attribute
 * and favourable outcomes of a fairness monitor, webhook and thresholds.
 */
import type { DeploymentJson, MonitorJson } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

const kinds = ['traffic', 'guardrails', 'drift', 'fairness'] as const;
const operators = ['>', '>=', '<', '<='] as const;
const severities = ['info', 'warning', 'critical'] as const;

type Threshold = MonitorJson['thresholds'][number];

/** Metrics each kind reports, offered as suggestions for thresholds. */
const suggested: Record<(typeof kinds)[number], string[]> = {
  traffic: ['error_rate', 'latency_p95_ms', 'latency_p99_ms', 'requests', 'cost'],
  guardrails: ['blocked_rate', 'hit_rate.pii'],
  drift: ['language_psi', 'input_length_psi', 'embedding_psi', 'refusal_rate_change', 'centroid_distance'],
  fairness: ['disparate_impact', 'statistical_parity_difference'],
};

const optionalNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

export function MonitorForm({
  monitor,
  deployments,
  onSaved,
}: {
  /** The monitor to edit; none: a new one. */
  monitor?: MonitorJson | undefined;
  deployments: readonly DeploymentJson[];
  onSaved(saved: MonitorJson, secret: string | null): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const id = useId();
  const field = (name: string) => `${id}-${name}`;
  const [name, setName] = useState(monitor?.name ?? '');
  const [kind, setKind] = useState<(typeof kinds)[number]>(monitor?.kind ?? 'traffic');
  const [deploymentId, setDeploymentId] = useState(monitor?.deployment_id ?? '');
  const [interval, setIntervalSeconds] = useState(String(monitor?.interval_seconds ?? 300));
  const [windowSeconds, setWindowSeconds] = useState(String(monitor?.config.window_seconds ?? ''));
  const [baselineSeconds, setBaselineSeconds] = useState(String(monitor?.config.baseline_seconds ?? ''));
  const [webhook, setWebhook] = useState(monitor?.webhook_url ?? '');
  const [attribute, setAttribute] = useState(monitor?.config.attribute ?? '');
  const [favourable, setFavourable] = useState((monitor?.config.favourable ?? []).join(', '));
  const [referenceGroup, setReferenceGroup] = useState(monitor?.config.reference_group ?? '');
  const [thresholds, setThresholds] = useState<Threshold[]>(monitor?.thresholds ?? []);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (index: number, patch: Partial<Threshold>) =>
    setThresholds((all) => all.map((entry, at) => (at === index ? { ...entry, ...patch } : entry)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    const config = {
      ...(optionalNumber(windowSeconds) !== undefined
        ? { window_seconds: optionalNumber(windowSeconds)! }
        : {}),
      ...(kind === 'drift' && optionalNumber(baselineSeconds) !== undefined
        ? { baseline_seconds: optionalNumber(baselineSeconds)! }
        : {}),
      ...(kind === 'fairness'
        ? {
            ...(attribute.trim() ? { attribute: attribute.trim() } : {}),
            favourable: favourable
              .split(',')
              .map((value) => value.trim())
              .filter(Boolean),
            ...(referenceGroup.trim() ? { reference_group: referenceGroup.trim() } : {}),
          }
        : {}),
    };
    const common = {
      name: name.trim(),
      config,
      thresholds,
      interval_seconds: Number(interval),
      webhook_url: webhook.trim() || null,
    };
    try {
      if (monitor) onSaved(await client.monitors.update(monitor.id, common), null);
      else {
        const created = await client.monitors.create({
          ...common,
          kind,
          deployment_id: deploymentId || null,
        });
        onSaved(created, created.webhook_secret);
      }
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="monitor-form"
      onSubmit={submit}
      aria-label={monitor ? t('mon.edit', { name: monitor.name }) : t('mon.new')}
    >
      <div className="inline-form">
        <div className="field">
          <label htmlFor={field('name')}>{t('mon.name')}</label>
          <input
            id={field('name')}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={100}
          />
        </div>
        <div className="field">
          <label htmlFor={field('kind')}>{t('mon.kind')}</label>
          <select
            id={field('kind')}
            value={kind}
            disabled={Boolean(monitor)}
            onChange={(event) => setKind(event.target.value as typeof kind)}
          >
            {kinds.map((each) => (
              <option key={each} value={each}>
                {t(`mon.kind.${each}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={field('deployment')}>{t('mon.deployment')}</label>
          <select
            id={field('deployment')}
            value={deploymentId}
            disabled={Boolean(monitor)}
            onChange={(event) => setDeploymentId(event.target.value)}
          >
            <option value="">{t('mon.allTraffic')}</option>
            {deployments.map((deployment) => (
              <option key={deployment.id} value={deployment.id}>
                {deployment.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={field('interval')}>{t('mon.interval')}</label>
          <input
            id={field('interval')}
            type="number"
            min={10}
            value={interval}
            onChange={(event) => setIntervalSeconds(event.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={field('window')}>{t('mon.window')}</label>
          <input
            id={field('window')}
            type="number"
            min={1}
            value={windowSeconds}
            onChange={(event) => setWindowSeconds(event.target.value)}
          />
        </div>
        {kind === 'drift' ? (
          <div className="field">
            <label htmlFor={field('baseline')}>{t('mon.baseline')}</label>
            <input
              id={field('baseline')}
              type="number"
              min={1}
              value={baselineSeconds}
              onChange={(event) => setBaselineSeconds(event.target.value)}
            />
          </div>
        ) : null}
        {kind === 'fairness' ? (
          <>
            <div className="field">
              <label htmlFor={field('attribute')}>{t('mon.fair.attribute')}</label>
              <input
                id={field('attribute')}
                value={attribute}
                onChange={(event) => setAttribute(event.target.value)}
                placeholder="group"
              />
            </div>
            <div className="field">
              <label htmlFor={field('favourable')}>{t('mon.fair.favourableOutcomes')}</label>
              <input
                id={field('favourable')}
                value={favourable}
                onChange={(event) => setFavourable(event.target.value)}
                placeholder="approved, yes"
              />
            </div>
            <div className="field">
              <label htmlFor={field('reference')}>{t('mon.fair.referenceGroup')}</label>
              <input
                id={field('reference')}
                value={referenceGroup}
                onChange={(event) => setReferenceGroup(event.target.value)}
              />
            </div>
          </>
        ) : null}
        <div className="field grow">
          <label htmlFor={field('webhook')}>{t('mon.webhook')}</label>
          <input
            id={field('webhook')}
            type="url"
            value={webhook}
            onChange={(event) => setWebhook(event.target.value)}
            placeholder="https://"
          />
        </div>
      </div>
      <fieldset>
        <legend>{t('mon.thresholds')}</legend>
        <datalist id={field('metrics')}>
          {suggested[kind].map((metric) => (
            <option key={metric} value={metric} />
          ))}
        </datalist>
        {thresholds.map((threshold, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position.
          <div className="threshold-row" key={index}>
            <div className="field">
              <label htmlFor={field(`metric-${index}`)}>{t('mon.metric')}</label>
              <input
                id={field(`metric-${index}`)}
                list={field('metrics')}
                value={threshold.metric}
                onChange={(event) => change(index, { metric: event.target.value })}
                required
              />
            </div>
            <div className="field">
              <label htmlFor={field(`operator-${index}`)}>{t('mon.operator')}</label>
              <select
                id={field(`operator-${index}`)}
                value={threshold.operator}
                onChange={(event) => change(index, { operator: event.target.value as Threshold['operator'] })}
              >
                {operators.map((operator) => (
                  <option key={operator} value={operator}>
                    {operator}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={field(`value-${index}`)}>{t('mon.value')}</label>
              <input
                id={field(`value-${index}`)}
                type="number"
                step="any"
                value={threshold.value}
                onChange={(event) => change(index, { value: Number(event.target.value) })}
                required
              />
            </div>
            <div className="field">
              <label htmlFor={field(`severity-${index}`)}>{t('mon.severity')}</label>
              <select
                id={field(`severity-${index}`)}
                value={threshold.severity}
                onChange={(event) => change(index, { severity: event.target.value as Threshold['severity'] })}
              >
                {severities.map((severity) => (
                  <option key={severity} value={severity}>
                    {t(`mon.severity.${severity}`)}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="button ghost small"
              onClick={() => setThresholds((all) => all.filter((_, at) => at !== index))}
            >
              {t('mon.removeThreshold', { index: index + 1 })}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button ghost small"
          onClick={() =>
            setThresholds((all) => [
              ...all,
              { metric: suggested[kind][0]!, operator: '>', value: 0, severity: 'warning' },
            ])
          }
        >
          {t('mon.addThreshold')}
        </button>
      </fieldset>
      <button type="submit" className="button primary" disabled={busy}>
        {monitor ? t('mon.save') : t('mon.create')}
      </button>
      {error ? <ErrorNotice error={error} title={t('mon.saveFailed')} /> : null}
    </form>
  );
}
