/**
 * One evaluation run: live progress while it runs (the job's events), then its aggregates with
 * confidence intervals, pass/fail per threshold, and a per-item drill-down with a word diff of
 * the output against the reference.
 */

import type { EvaluationJson } from '@keel/api/evals';
import type { JobJson } from '@keel/api/jobs';
import type { EvaluationItem } from '@keel/sdk';
import { useEffect, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { ProgressBar } from '../../components/progress-bar';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, isAbort, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { RunSource } from './experiment-runs';
import { wordDiff } from './word-diff';

export const finished = (run: EvaluationJson) =>
  run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';

/** Follows a queued or running run's job until it ends, then calls `onEnded`. */
function LiveProgress({ run, onEnded }: { run: EvaluationJson; onEnded(): void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [job, setJob] = useState<JobJson | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow once per run.
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        for await (const state of client.evals.follow(run.id, controller.signal)) setJob(state);
        if (!controller.signal.aborted) onEnded();
      } catch (cause) {
        if (!isAbort(cause) && !controller.signal.aborted) setError(describeError(cause));
      }
    })();
    return () => controller.abort();
  }, [run.id]);
  return (
    <>
      <ProgressBar
        label={t('evals.progress')}
        done={job?.progress.done ?? 0}
        total={job?.progress.total ?? run.items ?? undefined}
        unit="items"
      />
      {error ? <ErrorNotice error={error} /> : null}
    </>
  );
}

function Aggregates({ run }: { run: EvaluationJson }) {
  const { t, format } = useI18n();
  const value = (n: number) => format.number(n, { maximumFractionDigits: 4 });
  const aggregates = run.aggregates;
  if (!aggregates) return null;
  const failures = Object.entries(aggregates.failures);
  return (
    <>
      <p>
        {t('evals.itemCounts', {
          succeeded: format.number(aggregates.items.succeeded),
          failed: format.number(aggregates.items.failed),
          total: format.number(aggregates.items.total),
        })}
        {run.passed === null ? null : (
          <strong className={run.passed ? 'verdict-pass' : 'verdict-fail'}>
            {' '}
            {t(run.passed ? 'evals.passed' : 'evals.failedThresholds')}
          </strong>
        )}
      </p>
      {failures.length ? (
        <p className="notice notice-warning">
          {failures.map(([code, count]) => `${code}: ${format.number(count)}`).join(', ')}
        </p>
      ) : null}
      <div className="table-wrap">
        <table aria-label={t('evals.metrics')}>
          <thead>
            <tr>
              <th scope="col">{t('evals.metric')}</th>
              <th scope="col">{t('evals.score')}</th>
              <th scope="col">{t('evals.interval')}</th>
              <th scope="col">n</th>
              <th scope="col">{t('evals.threshold')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.values(aggregates.metrics).map((metric) => {
              const threshold = aggregates.thresholds.find((each) => each.metric === metric.metric);
              return (
                <tr key={metric.metric}>
                  <td>
                    {metric.metric} {metric.higher_is_better ? '↑' : '↓'}
                  </td>
                  <td>{value(metric.score)}</td>
                  <td>
                    {metric.ci
                      ? t('evals.ci', {
                          low: value(metric.ci.low),
                          high: value(metric.ci.high),
                          confidence: format.number(metric.ci.confidence, { style: 'percent' }),
                        })
                      : '—'}
                  </td>
                  <td>{format.number(metric.n)}</td>
                  <td>
                    {threshold ? (
                      <span className={threshold.passed ? 'verdict-pass' : 'verdict-fail'}>
                        {[
                          threshold.min === undefined ? null : `≥ ${value(threshold.min)}`,
                          threshold.max === undefined ? null : `≤ ${value(threshold.max)}`,
                        ]
                          .filter(Boolean)
                          .join(', ')}{' '}
                        {t(threshold.passed ? 'evals.pass' : 'evals.fail')}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Diff({ reference, output }: { reference: string; output: string }) {
  const { t } = useI18n();
  const parts = wordDiff(reference, output);
  if (!parts) return <p className="hint">{t('evals.diffTooLong')}</p>;
  // Parts are keyed by where they start in the joined texts (stable for one diff).
  let at = 0;
  const keyed = parts.map((part) => {
    const key = `${part.kind}-${at}`;
    at += part.text.length;
    return { ...part, key };
  });
  return (
    <figure className="word-diff">
      <figcaption className="hint">{t('evals.diffLegend')}</figcaption>
      <p>
        {keyed.map((part) =>
          part.kind === 'same' ? (
            <span key={part.key}>{part.text}</span>
          ) : part.kind === 'added' ? (
            <ins key={part.key}>{part.text}</ins>
          ) : (
            <del key={part.key}>{part.text}</del>
          ),
        )}
      </p>
    </figure>
  );
}

function ItemDetail({ item }: { item: EvaluationItem }) {
  const { t, format } = useI18n();
  const reference = item.item?.references[0];
  return (
    <div className="card item-detail">
      <h4>{t('evals.itemNumber', { ordinal: String(item.ordinal) })}</h4>
      {item.item ? (
        <p className="notice-meta">
          {t('evals.input')}:{' '}
          {Object.entries(item.item.input)
            .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join(' · ')}
        </p>
      ) : null}
      {item.error ? (
        <p className="notice notice-warning">
          {item.error.message} (<code>{item.error.code}</code>)
        </p>
      ) : null}
      {item.output !== null && reference !== undefined ? (
        <Diff reference={reference} output={item.output} />
      ) : item.output !== null ? (
        <p>{item.output}</p>
      ) : null}
      <p className="notice-meta">
        {Object.entries(item.scores)
          .map(([metric, score]) => `${metric} ${format.number(score, { maximumFractionDigits: 4 })}`)
          .join(' · ')}
        {item.latency_ms === null ? '' : ` · ${format.milliseconds(item.latency_ms)}`}
      </p>
    </div>
  );
}

function Items({ run }: { run: EvaluationJson }) {
  const { t, format } = useI18n();
  const { client } = useSession();
  const [onlyFailed, setOnlyFailed] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const items = useLoad(
    () => client.evals.items(run.id, { limit: 100, ...(onlyFailed ? { status: 'failed' as const } : {}) }),
    [run.id, onlyFailed],
  );
  return (
    <div>
      <div className="section-head">
        <h3>{t('evals.items')}</h3>
        <label>
          <input
            type="checkbox"
            checked={onlyFailed}
            onChange={(event) => setOnlyFailed(event.target.checked)}
          />{' '}
          {t('evals.onlyFailed')}
        </label>
      </div>
      {items.status === 'failed' ? <ErrorNotice error={items.error} /> : null}
      {'value' in items && items.value ? (
        <div className="table-wrap">
          <table aria-label={t('evals.items')}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('evals.status')}</th>
                <th scope="col">{t('evals.output')}</th>
                <th scope="col">{t('evals.scores')}</th>
              </tr>
            </thead>
            <tbody>
              {items.value.items.map((item) => (
                <tr key={item.ordinal}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={open === item.ordinal}
                      onClick={() => setOpen(open === item.ordinal ? null : item.ordinal)}
                    >
                      {t('evals.itemNumber', { ordinal: String(item.ordinal) })}
                    </button>
                  </td>
                  <td>{t(item.status === 'succeeded' ? 'evals.status.succeeded' : 'evals.status.failed')}</td>
                  <td className="clip">{item.output ?? item.error?.code ?? ''}</td>
                  <td>
                    {Object.entries(item.scores)
                      .map(
                        ([metric, score]) =>
                          `${metric} ${format.number(score, { maximumFractionDigits: 3 })}`,
                      )
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : items.status === 'loading' ? (
        <Loading />
      ) : null}
      {open !== null && 'value' in items && items.value
        ? (() => {
            const item = items.value.items.find((each) => each.ordinal === open);
            return item ? <ItemDetail item={item} /> : null;
          })()
        : null}
    </div>
  );
}

export function RunDetails({ runId, onChanged }: { runId: string; onChanged(): void }) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const run = useLoad(() => client.evals.get(runId), [runId]);
  const [error, setError] = useState<ShownError | null>(null);
  if (run.status === 'failed') return <ErrorNotice error={run.error} />;
  if (!('value' in run) || !run.value) return <Loading />;
  const current = run.value;
  const cancel = async () => {
    setError(null);
    try {
      await client.evals.cancel(current.id);
      run.reload();
      onChanged();
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  return (
    <section className="card run-details" aria-label={t('evals.runDetails')}>
      <h3>
        {current.name ?? current.id} · {t(`evals.status.${current.status}`)}
      </h3>
      <p className="notice-meta">
        {current.metrics.join(', ')} · {format.dateTime(current.created_at)}
      </p>
      <RunSource run={current} />
      {current.error ? (
        <p className="notice notice-warning">
          {current.error.message} (<code>{current.error.code}</code>)
        </p>
      ) : null}
      {finished(current) ? null : (
        <>
          <LiveProgress
            run={current}
            onEnded={() => {
              run.reload();
              onChanged();
            }}
          />
          {can('write') ? (
            <button type="button" className="button" onClick={() => void cancel()}>
              {t('evals.cancelRun')}
            </button>
          ) : null}
        </>
      )}
      {error ? <ErrorNotice error={error} /> : null}
      <Aggregates run={current} />
      {current.status === 'succeeded' || current.status === 'failed' ? <Items run={current} /> : null}
    </section>
  );
}
