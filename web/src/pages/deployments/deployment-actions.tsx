/** Rollback to an earlier version and a weighted traffic split between two versions (editors). */
import type { DeploymentJson } from '@keel/sdk';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

export function DeploymentActions({
  deployment,
  onChanged,
}: {
  deployment: DeploymentJson;
  onChanged(next: DeploymentJson): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { rollback: useId(), first: useId(), second: useId(), weight: useId(), title: useId() };
  const versions = deployment.versions.map((entry) => entry.version);
  const others = versions.filter((version) => version !== deployment.current_version);
  const [target, setTarget] = useState<number>(others.at(-1) ?? deployment.current_version);
  const [first, setFirst] = useState<number>(deployment.current_version);
  const [second, setSecond] = useState<number>(others.at(-1) ?? deployment.current_version);
  const [weight, setWeight] = useState(90);
  const [error, setError] = useState<ShownError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // After a rollback or a new version, offer the version before the current one again.
  const fallback = others.at(-1) ?? deployment.current_version;
  useEffect(() => setTarget(fallback), [fallback]);

  const act = async (
    run: () => Promise<DeploymentJson>,
    message: (next: DeploymentJson) => string | null,
  ) => {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      const next = await run();
      setDone(message(next));
      onChanged(next);
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };
  const rollback = (event: FormEvent) => {
    event.preventDefault();
    void act(
      () => client.deployments.rollback(deployment.id, target),
      (next) => t('dep.rolledBack', { version: next.current_version }),
    );
  };
  const split = (event: FormEvent) => {
    event.preventDefault();
    void act(
      () =>
        client.deployments.split(deployment.id, {
          versions: [
            { version: first, weight },
            { version: second, weight: 100 - weight },
          ],
        }),
      () => null,
    );
  };
  const versionOptions = versions.map((version) => (
    <option key={version} value={version}>
      v{version}
    </option>
  ));
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <h3 id={ids.title}>{t('dep.rollout')}</h3>
      <p className="hint">
        {deployment.split ? null : t('dep.splitNone', { version: deployment.current_version })}
      </p>
      {others.length ? (
        <>
          <form className="inline-form" onSubmit={rollback}>
            <div className="field">
              <label htmlFor={ids.rollback}>{t('dep.version')}</label>
              <select
                id={ids.rollback}
                value={target}
                onChange={(event) => setTarget(Number(event.target.value))}
              >
                {others.map((version) => (
                  <option key={version} value={version}>
                    v{version}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button" disabled={busy}>
              {t('dep.rollbackTo', { version: target })}
            </button>
          </form>
          <form className="inline-form" onSubmit={split}>
            <div className="field">
              <label htmlFor={ids.first}>{t('dep.splitFirst')}</label>
              <select id={ids.first} value={first} onChange={(event) => setFirst(Number(event.target.value))}>
                {versionOptions}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.second}>{t('dep.splitSecond')}</label>
              <select
                id={ids.second}
                value={second}
                onChange={(event) => setSecond(Number(event.target.value))}
              >
                {versionOptions}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.weight}>{t('dep.splitWeight')}</label>
              <input
                id={ids.weight}
                type="number"
                min={0}
                max={100}
                value={weight}
                onChange={(event) => setWeight(Math.min(100, Math.max(0, Number(event.target.value))))}
              />
            </div>
            <button type="submit" className="button" disabled={busy}>
              {t('dep.splitApply')}
            </button>
            {deployment.split ? (
              <button
                type="button"
                className="button ghost"
                disabled={busy}
                onClick={() =>
                  void act(
                    () => client.deployments.split(deployment.id, null),
                    () => null,
                  )
                }
              >
                {t('dep.splitEnd')}
              </button>
            ) : null}
          </form>
        </>
      ) : (
        <p className="hint">{t('dep.splitNeedsTwo')}</p>
      )}
      {done ? (
        <p className="notice notice-success" role="status">
          {done}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} title={t('dep.actionFailed')} /> : null}
    </section>
  );
}
