/**
 * The question box: a question in English or Korean and the model that writes the SQL; the answer
 * shows the generated SQL, its explanation, the result and every step (tables chosen, SQL written,
 * checked, run, and the one repair attempt when the first failed). The result is kept on the
 * server and read in pages, as the SQL editor's is (paged-result.tsx).
 */
import type { DataAskJson } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { languageModels, useModelDirectory } from '../../lib/use-model-directory';
import { useSession } from '../../session/session-context';
import { PagedResult } from './paged-result';
import { PAGE_SIZE } from './result-table';

type Step = DataAskJson['steps'][number];

export function AskBox() {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { question: useId(), model: useId() };
  const directory = useModelDirectory();
  const models = directory.status === 'loaded' ? languageModels(directory.value.choices) : [];
  const [question, setQuestion] = useState('');
  const [picked, setModel] = useState('');
  // The first model until one is picked: derived, so a pick made as the list arrives is kept.
  const model = picked || (models[0]?.id ?? '');
  const [asking, setAsking] = useState(false);
  const [answer, setAnswer] = useState<DataAskJson | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  async function ask(event: FormEvent) {
    event.preventDefault();
    setAsking(true);
    setError(null);
    setAnswer(null);
    try {
      setAnswer(await client.data.ask({ question: question.trim(), model, page_size: PAGE_SIZE }));
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setAsking(false);
    }
  }

  return (
    <section aria-labelledby="data-ask">
      <h2 id="data-ask">{t('data.ask')}</h2>
      <form onSubmit={ask} aria-label={t('data.ask')} noValidate>
        <label htmlFor={ids.question}>{t('data.question')}</label>
        <textarea id={ids.question} rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} />
        <label htmlFor={ids.model}>{t('data.model')}</label>
        <select id={ids.model} value={model} onChange={(e) => setModel(e.target.value)}>
          {models.map((choice) => (
            <option key={choice.id} value={choice.id}>
              {choice.label}
            </option>
          ))}
        </select>
        <button type="submit" disabled={asking}>
          {asking ? t('data.asking') : t('data.askSubmit')}
        </button>
      </form>
      {error ? <ErrorNotice error={error} title={t('data.askFailed')} /> : null}
      {answer ? <Answer answer={answer} /> : null}
    </section>
  );
}

function Answer({ answer }: { answer: DataAskJson }) {
  const { t } = useI18n();
  return (
    <article aria-label={answer.question}>
      {answer.error ? (
        <ErrorNotice
          error={{ code: answer.error.code, message: answer.error.message, status: 0 }}
          title={t('data.askFailed')}
        />
      ) : null}
      {answer.sql ? (
        <>
          <h3>{t('data.generatedSql')}</h3>
          <pre>
            <code>{answer.sql}</code>
          </pre>
        </>
      ) : null}
      {answer.explanation ? (
        <p>
          <strong>{t('data.explanation')}:</strong> {answer.explanation}
        </p>
      ) : null}
      {answer.masked_columns.length > 0 ? (
        <p>{t('data.maskedColumns', { list: answer.masked_columns.join(', ') })}</p>
      ) : null}
      {answer.result ? <PagedResult first={answer.result} caption={t('data.result')} /> : null}
      <h3>{t('data.steps')}</h3>
      <ol className="data-steps">
        {answer.steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are an ordered log.
          <StepItem key={i} step={step} />
        ))}
      </ol>
    </article>
  );
}

function StepItem({ step }: { step: Step }) {
  const { t } = useI18n();
  const failed = step.ok === false || Boolean(step.error);
  const details = [
    step.attempt ? t('data.step.attempt', { attempt: step.attempt }) : null,
    step.tables?.length ? step.tables.join(', ') : null,
    step.model ?? null,
    step.row_count !== undefined ? t('data.rows', { count: step.row_count }) : null,
  ].filter(Boolean);
  return (
    <li data-ok={failed ? 'false' : 'true'}>
      <strong>{t(`data.step.${step.step}`)}</strong> — {failed ? t('data.step.failed') : t('data.step.ok')}
      {details.length ? ` (${details.join(' · ')})` : null}
      {step.sql ? (
        <pre>
          <code>{step.sql}</code>
        </pre>
      ) : null}
      {step.error ? <div>{`${step.error.code}: ${step.error.message}`}</div> : null}
    </li>
  );
}
