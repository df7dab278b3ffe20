import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { ProgressBar } from '../../components/progress-bar';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { Link } from '../../lib/router';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { type CandidateScore, CandidateScores } from './candidate-scores';
import { useFollowedJob } from './use-followed-job';

/** Label and reference metrics the search can maximise. */
const METRICS = ['accuracy', 'f1_macro', 'exact_match', 'f1', 'rouge_l', 'chrf'] as const;

const KINDS = {
  baseline: 'tuning.prompt.kind.baseline',
  instruction: 'tuning.prompt.kind.instruction',
  few_shot: 'tuning.prompt.kind.few_shot',
  format: 'tuning.prompt.kind.format',
  joint: 'tuning.prompt.kind.joint',
} as const;

interface PromptResult {
  template: { name: string; baseVersion: number; savedVersion: number | null };
  metric: string;
  baseline: number;
  best: { id: string; score: number };
  improved: boolean;
  spent: { calls: number; tokens: number };
  stopped: 'done' | 'budget';
  trace: (CandidateScore & { calls: number; tokens: number })[];
  evaluations?: {
    baseline: string;
    winner: string;
    split: string;
    heldOut: { baseline: number | null; winner: number | null } | null;
  };
}

export function PromptOptimisation() {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const ids = {
    template: useId(),
    dataset: useId(),
    metric: useId(),
    calls: useId(),
    tokens: useId(),
    test: useId(),
  };
  const [template, setTemplate] = useState('');
  const [dataset, setDataset] = useState('');
  const [metric, setMetric] = useState<string>('accuracy');
  const [calls, setCalls] = useState('200');
  const [tokens, setTokens] = useState('200000');
  const [testSplit, setTestSplit] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [job, setJob] = useFollowedJob();
  const templates = useLoad(() => client.prompts.list({ limit: 200 }), [client, projectId]);
  const datasets = useLoad(() => client.evals.datasets(), [client, projectId]);

  const templateList = templates.status === 'loaded' ? templates.value.prompts : [];
  const datasetList = datasets.status === 'loaded' ? datasets.value.datasets : [];
  // The first of each list until one is chosen.
  const chosenTemplate = template || templateList[0]?.name || '';
  const chosenDataset = dataset || datasetList[0]?.name || '';

  async function start(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setJob(
        await client.tuning.startPrompt({
          template: chosenTemplate,
          dataset: chosenDataset,
          metric,
          budget: { calls: Number(calls) || 0, tokens: Number(tokens) || 0 },
          ...(testSplit.trim() ? { test_split: testSplit.trim() } : {}),
        }),
      );
    } catch (cause) {
      setError(describeError(cause));
    }
  }

  const result = job?.status === 'succeeded' ? (job.result as PromptResult | null) : null;
  const live = (job?.progress.data.trace as CandidateScore[] | undefined) ?? [];
  const trace: CandidateScore[] = result?.trace ?? live;
  const value = (n: number | null) => (n === null ? '—' : format.number(n, { maximumFractionDigits: 4 }));
  return (
    <section className="page-section tuning-prompt" aria-labelledby="tuning-prompt-title">
      <h2 id="tuning-prompt-title">{t('tuning.prompt.title')}</h2>
      <p>{t('tuning.prompt.intro')}</p>
      {templates.status === 'failed' ? <ErrorNotice error={templates.error} /> : null}
      {datasets.status === 'failed' ? <ErrorNotice error={datasets.error} /> : null}
      {can('write') ? (
        <form className="tuning-form" onSubmit={start} aria-label={t('tuning.prompt.start')}>
          <label htmlFor={ids.template}>{t('tuning.prompt.template')}</label>
          <select id={ids.template} value={chosenTemplate} onChange={(e) => setTemplate(e.target.value)}>
            {templateList.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
          <label htmlFor={ids.dataset}>{t('tuning.prompt.dataset')}</label>
          <select id={ids.dataset} value={chosenDataset} onChange={(e) => setDataset(e.target.value)}>
            {datasetList.map((d) => (
              <option key={d.id} value={d.name}>
                {d.name}
              </option>
            ))}
          </select>
          <label htmlFor={ids.metric}>{t('tuning.prompt.metric')}</label>
          <select id={ids.metric} value={metric} onChange={(e) => setMetric(e.target.value)}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <label htmlFor={ids.calls}>{t('tuning.prompt.calls')}</label>
          <input
            id={ids.calls}
            type="number"
            min={1}
            value={calls}
            onChange={(e) => setCalls(e.target.value)}
            required
          />
          <label htmlFor={ids.tokens}>{t('tuning.prompt.tokens')}</label>
          <input
            id={ids.tokens}
            type="number"
            min={1}
            value={tokens}
            onChange={(e) => setTokens(e.target.value)}
            required
          />
          <label htmlFor={ids.test}>{t('tuning.prompt.testSplit')}</label>
          <input id={ids.test} value={testSplit} onChange={(e) => setTestSplit(e.target.value)} />
          {error ? <ErrorNotice error={error} /> : null}
          <button type="submit" disabled={!templateList.length || !datasetList.length}>
            {t('tuning.prompt.submit')}
          </button>
        </form>
      ) : null}

      {job ? (
        <section className="tuning-job" aria-label={t('tuning.job', { id: job.id })}>
          <h3>{t('tuning.job', { id: job.id })}</h3>
          <p>{t('tuning.status', { status: job.status })}</p>
          <ProgressBar
            label={t('tuning.prompt.candidates')}
            done={job.progress.done}
            total={job.progress.total ?? undefined}
            unit="items"
            detail={job.progress.message ?? undefined}
          />
          <CandidateScores trace={trace} />
          {trace.length ? (
            <table>
              <caption>{t('tuning.prompt.trace')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tuning.prompt.candidate')}</th>
                  <th scope="col">{t('tuning.kind')}</th>
                  <th scope="col">{t('tuning.prompt.score')}</th>
                  {result ? <th scope="col">{t('tuning.prompt.calls')}</th> : null}
                  {result ? <th scope="col">{t('tuning.prompt.tokens')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {trace.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">{entry.id}</th>
                    <td>{t(KINDS[entry.kind])}</td>
                    <td>{value(entry.score)}</td>
                    {result ? <td>{format.number((entry as PromptResult['trace'][number]).calls)}</td> : null}
                    {result ? (
                      <td>{format.number((entry as PromptResult['trace'][number]).tokens)}</td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {result ? <Outcome result={result} /> : null}
          {job.error ? <p role="alert">{t('tuning.prompt.failed', { message: job.error.message })}</p> : null}
        </section>
      ) : null}
    </section>
  );
}

/** The winner against the untuned template, and where its runs compare. */
function Outcome({ result }: { result: PromptResult }) {
  const { t, format } = useI18n();
  const value = (n: number) => format.number(n, { maximumFractionDigits: 4 });
  const runs = result.evaluations;
  return (
    <section aria-label={t('tuning.prompt.outcome')}>
      <h4>{t('tuning.prompt.outcome')}</h4>
      <table>
        <caption>{t('tuning.compare')}</caption>
        <tbody>
          <tr>
            <th scope="row">
              {t('tuning.prompt.untuned', {
                name: result.template.name,
                version: result.template.baseVersion,
              })}
            </th>
            <td>{value(result.baseline)}</td>
          </tr>
          <tr>
            <th scope="row">
              {t('tuning.prompt.winner', {
                id: result.best.id,
                version: result.template.savedVersion ?? result.template.baseVersion,
              })}
            </th>
            <td>{value(result.best.score)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        {result.improved
          ? t('tuning.prompt.saved', {
              name: result.template.name,
              version: result.template.savedVersion ?? 0,
            })
          : t('tuning.prompt.kept')}{' '}
        {t('tuning.prompt.spent', {
          calls: format.number(result.spent.calls),
          tokens: format.number(result.spent.tokens),
        })}
        {result.stopped === 'budget' ? ` ${t('tuning.prompt.budgetReached')}` : ''}
      </p>
      {runs?.heldOut ? (
        <p>
          {t('tuning.prompt.heldOut', {
            split: runs.split,
            baseline: runs.heldOut.baseline === null ? '—' : value(runs.heldOut.baseline),
            winner: runs.heldOut.winner === null ? '—' : value(runs.heldOut.winner),
          })}
        </p>
      ) : null}
      {runs && runs.baseline !== runs.winner ? (
        <Link href={`/evaluations?compare=${runs.baseline},${runs.winner}`}>
          {t('tuning.prompt.compareLink')}
        </Link>
      ) : null}
    </section>
  );
}
