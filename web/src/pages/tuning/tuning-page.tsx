/**
 * Tuning: train a task head on labelled texts or a token tagger on tagged sentences (a
 * `tuning.head` job), watch its progress and loss curve while it trains, compare each head's
 * validation metrics with the untuned baseline (always the most frequent label), read a tagger's
 * span F1 report, classify a text with a head; and optimise a prompt template against a labelled
 * dataset (`PromptOptimisation`).
 */
import type { HeadClassifyResponse, HeadVersionJson } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { ProgressBar } from '../../components/progress-bar';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { LossCurve } from './loss-curve';
import { PromptOptimisation } from './prompt-optimisation';
import { SpanReports } from './span-reports';
import { useFollowedJob } from './use-followed-job';

type Method = 'logistic' | 'mlp' | 'tagger';

/** `label<TAB>text` lines; returns the first bad line's number instead when one has no tab. */
function parseLines(text: string): { text: string; label: string }[] | number {
  const out: { text: string; label: string }[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const tab = line.indexOf('\t');
    if (tab <= 0 || line.slice(tab + 1).trim() === '') return i + 1;
    out.push({ label: line.slice(0, tab).trim(), text: line.slice(tab + 1).trim() });
  }
  return out;
}

/** `token/TAG token/TAG …` lines (a tagger's sentences); the first bad line's number instead. */
export function parseTagged(text: string): { tokens: string[]; tags: string[] }[] | number {
  const out: { tokens: string[]; tags: string[] }[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const tokens: string[] = [];
    const tags: string[] = [];
    for (const part of line.trim().split(/\s+/)) {
      const slash = part.lastIndexOf('/');
      if (slash <= 0 || slash === part.length - 1) return i + 1;
      tokens.push(part.slice(0, slash));
      tags.push(part.slice(slash + 1));
    }
    out.push({ tokens, tags });
  }
  return out;
}

/** Macro F1 and accuracy of always answering the most frequent validation label. */
export function majorityBaseline(head: HeadVersionJson): { accuracy: number; macroF1: number } {
  const supports = head.metrics.per_class.map((c) => c.support);
  const total = supports.reduce((a, b) => a + b, 0);
  const top = Math.max(...supports);
  const precision = total ? top / total : 0;
  const f1 = precision + 1 > 0 ? (2 * precision) / (precision + 1) : 0;
  return { accuracy: precision, macroF1: supports.length ? f1 / supports.length : 0 };
}

export function TuningPage() {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const ids = { name: useId(), method: useId(), seed: useId(), data: useId(), text: useId(), head: useId() };
  const [name, setName] = useState('');
  const [method, setMethod] = useState<Method>('logistic');
  const [seed, setSeed] = useState('42');
  const [data, setData] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [startError, setStartError] = useState<ShownError | null>(null);
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState('');
  const [prediction, setPrediction] = useState<HeadClassifyResponse | null>(null);
  const heads = useLoad(() => client.tuning.heads(), [client, projectId]);
  // Follows the running job; reloads the heads when it ends.
  const [job, setJob] = useFollowedJob(() => heads.reload());

  async function start(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setStartError(null);
    const parsed = method === 'tagger' ? parseTagged(data) : parseLines(data);
    if (typeof parsed === 'number') {
      setFormError(t(method === 'tagger' ? 'tuning.badTagged' : 'tuning.badLines', { line: parsed }));
      return;
    }
    const rows =
      method === 'tagger'
        ? { sentences: parsed as { tokens: string[]; tags: string[] }[] }
        : { examples: parsed as { text: string; label: string }[] };
    try {
      setJob(
        await client.tuning.startHead({
          type: 'head',
          name: name.trim(),
          method,
          ...rows,
          options: { seed: Number(seed) || 0 },
        }),
      );
    } catch (cause) {
      setStartError(describeError(cause));
    }
  }

  async function classify(event: FormEvent) {
    event.preventDefault();
    const head =
      chosen ||
      (heads.status === 'loaded' ? heads.value.heads.find((h) => h.spans === null)?.name : undefined);
    if (!head) return;
    setPrediction(await client.tuning.classify(head, [text]));
  }

  const list = heads.status === 'failed' ? undefined : heads.value?.heads;
  const curve = job ? client.tuning.curveOf(job) : [];
  const top = prediction?.predictions[0];
  return (
    <section className="page tuning-page" aria-labelledby="tuning-title">
      <h1 id="tuning-title">{t('tuning.title')}</h1>
      <p>{t('tuning.intro')}</p>

      {can('write') ? (
        <form className="tuning-form" onSubmit={start} aria-label={t('tuning.start')}>
          <h2>{t('tuning.start')}</h2>
          <label htmlFor={ids.name}>{t('tuning.name')}</label>
          <input
            id={ids.name}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            pattern="[a-z0-9][a-z0-9._\-]{0,62}"
          />
          <label htmlFor={ids.method}>{t('tuning.method')}</label>
          <select id={ids.method} value={method} onChange={(e) => setMethod(e.target.value as Method)}>
            <option value="logistic">{t('tuning.method.logistic')}</option>
            <option value="mlp">{t('tuning.method.mlp')}</option>
            <option value="tagger">{t('tuning.method.tagger')}</option>
          </select>
          <label htmlFor={ids.seed}>{t('tuning.seed')}</label>
          <input id={ids.seed} inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
          <label htmlFor={ids.data}>{t(method === 'tagger' ? 'tuning.taggedData' : 'tuning.data')}</label>
          <textarea id={ids.data} rows={8} value={data} onChange={(e) => setData(e.target.value)} required />
          {formError ? <p role="alert">{formError}</p> : null}
          {startError ? <ErrorNotice error={startError} /> : null}
          <button type="submit">{t('tuning.submit')}</button>
        </form>
      ) : null}

      {job ? (
        <section className="tuning-job" aria-label={t('tuning.job', { id: job.id })}>
          <h2>{t('tuning.job', { id: job.id })}</h2>
          <p>{t('tuning.status', { status: job.status })}</p>
          <ProgressBar
            label={t('tuning.progress')}
            done={job.progress.done}
            total={job.progress.total ?? undefined}
            unit="items"
            detail={job.progress.message ?? undefined}
          />
          <LossCurve curve={curve} />
          {job.error ? <p role="alert">{t('tuning.failed', { message: job.error.message })}</p> : null}
        </section>
      ) : null}

      <section aria-labelledby="tuning-heads">
        <h2 id="tuning-heads">{t('tuning.heads')}</h2>
        {heads.status === 'failed' ? (
          <ErrorNotice error={heads.error} title={t('tuning.loadFailed')} />
        ) : null}
        {heads.status === 'loading' && !list ? <Loading /> : null}
        {list && list.length === 0 ? <p>{t('tuning.none')}</p> : null}
        {list && list.length > 0 ? (
          <table>
            <caption>{t('tuning.compare')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tuning.name')}</th>
                <th scope="col">{t('tuning.kind')}</th>
                <th scope="col">{t('tuning.encoder')}</th>
                <th scope="col">{t('tuning.accuracy')}</th>
                <th scope="col">{t('tuning.macroF1')}</th>
              </tr>
            </thead>
            <tbody>
              {list.flatMap((head) => {
                const baseline = majorityBaseline(head);
                const pct = (v: number) => format.number(v, { maximumFractionDigits: 3 });
                return [
                  <tr key={`${head.name}-head`}>
                    <th scope="row">{t('tuning.head', { name: head.name, version: head.version })}</th>
                    <td>{head.kind}</td>
                    <td>{head.base_encoder}</td>
                    <td>{pct(head.metrics.accuracy)}</td>
                    <td>{pct(head.metrics.macro_f1)}</td>
                  </tr>,
                  <tr key={`${head.name}-baseline`} className="tuning-baseline">
                    <th scope="row">{t('tuning.baseline')}</th>
                    <td />
                    <td />
                    <td>{pct(baseline.accuracy)}</td>
                    <td>{pct(baseline.macroF1)}</td>
                  </tr>,
                ];
              })}
            </tbody>
          </table>
        ) : null}
      </section>

      {list ? <SpanReports heads={list} /> : null}

      {list?.some((head) => head.spans === null) ? (
        <form onSubmit={classify} aria-label={t('tuning.try')}>
          <h2>{t('tuning.try')}</h2>
          <label htmlFor={ids.head}>{t('tuning.name')}</label>
          <select id={ids.head} value={chosen} onChange={(e) => setChosen(e.target.value)}>
            {list
              .filter((head) => head.spans === null)
              .map((head) => (
                <option key={head.name} value={head.name}>
                  {head.name}
                </option>
              ))}
          </select>
          <label htmlFor={ids.text}>{t('tuning.try')}</label>
          <input id={ids.text} value={text} onChange={(e) => setText(e.target.value)} required />
          <button type="submit">{t('tuning.classify')}</button>
          {top ? (
            <output>
              {t('tuning.prediction', {
                label: top.label,
                probability: format.number(top.scores[0]?.probability ?? 0, {
                  style: 'percent',
                  maximumFractionDigits: 0,
                }),
              })}
            </output>
          ) : null}
        </form>
      ) : null}

      <PromptOptimisation />
    </section>
  );
}
