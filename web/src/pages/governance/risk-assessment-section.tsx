/**
 * The risk questionnaire of one use case: the project's questionnaire (or Keel's built-in one) in
 * the console's language, prefilled with the answers in force; saving sends it to
 * `POST /api/v1/risk-assessments`, which computes the tier, the EU AI Act category and Korea's
 * high-impact determination. The result shows with the controls the server says it calls for, and
 * every saved version stays in the use case's assessment history. While answers change, the form
 * previews the result (`?dry_run=true`, debounced; nothing stored). Saving needs an editor,
 * validator or admin.
 */
import type { AssessmentJson, AssessmentPreview, Questionnaire } from '@keel/api/governance-risk';
import { KeelApiError } from '@keel/sdk';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { type AnswerValue, RiskQuestionField } from './risk-question-field';
import { RiskResult } from './risk-result';

type Answers = Record<string, AnswerValue>;

/** How long answers rest before the preview is asked for. */
const PREVIEW_DELAY_MS = 350;

/** The server's per-answer messages (`issues[].path` is `["answers", questionId]`). */
function answerProblems(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof KeelApiError)) return out;
  for (const issue of error.issues)
    if (issue.path?.[0] === 'answers' && typeof issue.path[1] === 'string')
      out[issue.path[1]] = issue.message;
  return out;
}

function History({
  assessments,
  shown,
  onShow,
}: {
  assessments: readonly AssessmentJson[];
  shown: string | null;
  onShow(id: string): void;
}) {
  const { t, format } = useI18n();
  return (
    <div className="table-wrap">
      <table aria-label={t('gov.risk.history')}>
        <thead>
          <tr>
            <th scope="col">{t('gov.risk.version')}</th>
            <th scope="col">{t('gov.riskTier')}</th>
            <th scope="col">{t('gov.risk.euCategory')}</th>
            <th scope="col">{t('gov.risk.koreaHighImpact')}</th>
            <th scope="col">{t('gov.risk.score')}</th>
            <th scope="col">{t('gov.risk.by')}</th>
            <th scope="col">{t('gov.when')}</th>
          </tr>
        </thead>
        <tbody>
          {assessments.map((assessment) => (
            <tr key={assessment.id} aria-selected={assessment.id === shown}>
              <td>
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={assessment.id === shown}
                  onClick={() => onShow(assessment.id)}
                >
                  {t('gov.risk.versionN', { version: assessment.version })}
                </button>
              </td>
              <td>{t(`gov.tier.${assessment.tier}`)}</td>
              <td>{t(`gov.tier.${assessment.eu_category}`)}</td>
              <td>{t(assessment.korea_high_impact ? 'gov.risk.yes' : 'gov.risk.no')}</td>
              <td>{format.number(assessment.scorecard.score)}</td>
              <td>{assessment.created_by ?? '—'}</td>
              <td>{format.dateTime(assessment.completed_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RiskAssessmentSection({
  useCaseId,
  changed,
  onChanged,
}: {
  useCaseId: string;
  changed: number;
  onChanged(): void;
}) {
  const { t, language } = useI18n();
  const { client, projectId, can } = useSession();
  const ids = { title: useId(), note: useId() };
  const questionnaire = useLoad(() => client.risk.questionnaire(), [projectId]);
  const history = useLoad(
    (signal) =>
      client.risk
        .list({ use_case_id: useCaseId })
        .then((r) => (signal.aborted ? [] : [...r.assessments].sort((a, b) => b.version - a.version))),
    [projectId, useCaseId, changed],
  );
  const assessments = ('value' in history ? history.value : undefined) ?? [];
  const latest = assessments[0] ?? null;
  const [answers, setAnswers] = useState<Answers>({});
  const [note, setNote] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<AssessmentPreview | null>(null);
  const [edited, setEdited] = useState(false);
  const previewSeq = useRef(0);
  const mayAssess = can('write') || can('validate');
  // Start from the answers in force, once per use case (a revision changes what is already there).
  // biome-ignore lint/correctness/useExhaustiveDependencies: prefill when the in-force version changes.
  useEffect(() => {
    setAnswers(latest ? { ...latest.answers } : {});
    setShown(null);
    setEdited(false);
    setPreview(null);
  }, [useCaseId, latest?.id]);

  // Preview what the answers so far give, once they rest; a newer request wins over an older one.
  useEffect(() => {
    if (!edited || !mayAssess) return;
    const seq = ++previewSeq.current;
    const timer = setTimeout(() => {
      client.risk.preview({ use_case_id: useCaseId, answers: answers as AssessmentJson['answers'] }).then(
        (result) => {
          if (seq === previewSeq.current) setPreview(result);
        },
        (cause) => {
          if (seq !== previewSeq.current) return;
          setPreview(null);
          setProblems((current) => ({ ...current, ...answerProblems(cause) }));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [answers, edited, mayAssess, client, useCaseId]);

  const form = ('value' in questionnaire ? questionnaire.value : undefined)?.questionnaire as
    | Questionnaire
    | undefined;
  const displayed = assessments.find((each) => each.id === shown) ?? latest;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setProblems({});
    setSaving(true);
    try {
      const saved = await client.risk.assess({
        use_case_id: useCaseId,
        answers,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setNote('');
      setShown(saved.id);
      previewSeq.current++;
      setPreview(null);
      setEdited(false);
      history.reload();
      onChanged();
    } catch (cause) {
      setError(describeError(cause));
      setProblems(answerProblems(cause));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="page-section risk-assessment" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('gov.risk.title')}</h2>
      {questionnaire.status === 'failed' ? <ErrorNotice error={questionnaire.error} /> : null}
      {history.status === 'failed' ? <ErrorNotice error={history.error} /> : null}
      {displayed ? (
        <RiskResult assessment={displayed} />
      ) : history.status === 'loaded' ? (
        <p className="notice">{t('gov.risk.none')}</p>
      ) : null}
      {assessments.length ? (
        <>
          <h3>{t('gov.risk.history')}</h3>
          <History assessments={assessments} shown={displayed?.id ?? null} onShow={setShown} />
        </>
      ) : null}
      {form ? (
        // Folded once an assessment exists: the result and history come first.
        <details className="risk-form-details" open={!latest || undefined} key={latest ? 'revise' : 'first'}>
          <summary>{t(latest ? 'gov.risk.revise' : 'gov.risk.answer')}</summary>
          <form className="risk-form" onSubmit={submit} aria-label={t('gov.risk.form')}>
            <p className="notice-meta">
              {form.title[language]} · {t('gov.risk.questionnaireVersion', { version: form.version })}
            </p>
            {form.description ? <p className="hint">{form.description[language]}</p> : null}
            {form.sections.map((section) => (
              <fieldset key={section.id} className="risk-section" data-section={section.id}>
                <legend>{section.title[language]}</legend>
                {section.questions.map((question) => (
                  <RiskQuestionField
                    key={question.id}
                    question={question}
                    value={answers[question.id]}
                    language={language}
                    problem={problems[question.id] ?? null}
                    disabled={!mayAssess || saving}
                    onChange={(value) => {
                      setEdited(true);
                      setAnswers((current) => ({ ...current, [question.id]: value }));
                    }}
                  />
                ))}
              </fieldset>
            ))}
            <div className="field">
              <label htmlFor={ids.note}>{t('gov.risk.note')}</label>
              <input
                id={ids.note}
                value={note}
                maxLength={2000}
                disabled={!mayAssess || saving}
                onChange={(event) => setNote(event.target.value)}
              />
            </div>
            <div aria-live="polite">
              {preview ? (
                <>
                  <RiskResult assessment={preview} preview />
                  {preview.unanswered.length ? (
                    <p className="hint">
                      {t('gov.risk.previewUnanswered', { count: preview.unanswered.length })}
                    </p>
                  ) : null}
                </>
              ) : null}
            </div>
            {error ? <ErrorNotice error={error} title={t('gov.risk.saveFailed')} /> : null}
            {mayAssess ? (
              <button type="submit" className="button primary" disabled={saving}>
                {t(latest ? 'gov.risk.saveRevision' : 'gov.risk.save')}
              </button>
            ) : (
              <p className="hint">{t('gov.risk.readOnly')}</p>
            )}
          </form>
        </details>
      ) : questionnaire.status === 'loading' ? (
        <Loading />
      ) : null}
    </section>
  );
}
