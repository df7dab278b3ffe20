/**
 * A risk assessment's result, saved or previewed: the tier, the EU AI Act category and Korea's
 * high-impact determination, the reasons and the required controls the server gave (each control
 * with its reason; the questionnaire defines them), and the scorecard (every answer with what it
 * contributed and the articles it cites).
 */
import type { AssessmentJson } from '@keel/api/governance-risk';
import { useI18n } from '../../i18n/i18n-context';

export type RiskResultView = Pick<
  AssessmentJson,
  'tier' | 'eu_category' | 'korea_high_impact' | 'prohibited' | 'scorecard' | 'required_controls'
> & { version?: number; note?: string | null };

export function RiskResult({
  assessment,
  preview = false,
}: {
  assessment: RiskResultView;
  preview?: boolean;
}) {
  const { t, format, language } = useI18n();
  const sources: Record<string, string> = {
    eu: t('gov.risk.sourceEu'),
    korea: t('gov.risk.sourceKorea'),
    keel: 'Keel',
  };
  return (
    <div className={`card ${preview ? 'risk-preview' : 'risk-result'}`} data-tier={assessment.tier}>
      <h3>
        {preview ? t('gov.risk.preview') : t('gov.risk.resultOf', { version: assessment.version ?? 0 })}
      </h3>
      <dl className="risk-summary">
        <div>
          <dt>{t('gov.riskTier')}</dt>
          <dd>
            <span className={`risk-tier risk-tier-${assessment.tier}`}>
              {t(`gov.tier.${assessment.tier}`)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('gov.risk.euCategory')}</dt>
          <dd>{t(`gov.tier.${assessment.eu_category}`)}</dd>
        </div>
        <div>
          <dt>{t('gov.risk.koreaHighImpact')}</dt>
          <dd>{t(assessment.korea_high_impact ? 'gov.risk.yes' : 'gov.risk.no')}</dd>
        </div>
        <div>
          <dt>{t('gov.risk.score')}</dt>
          <dd>
            {t('gov.risk.scoreOf', {
              score: format.number(assessment.scorecard.score),
              limited: format.number(assessment.scorecard.thresholds.limited),
              high: format.number(assessment.scorecard.thresholds.high),
            })}
          </dd>
        </div>
      </dl>
      {assessment.prohibited ? (
        <p className="notice notice-error" role="alert">
          {t('gov.risk.blocked')}
        </p>
      ) : null}
      <h4>{t('gov.risk.reasons')}</h4>
      <ul className="risk-reasons">
        {assessment.scorecard.reasons.map((reason) => (
          <li key={`${reason.about}:${reason.text.en}`}>{reason.text[language]}</li>
        ))}
      </ul>
      <h4>{t('gov.risk.controls')}</h4>
      <ul className="risk-controls" aria-label={t('gov.risk.controls')}>
        {assessment.required_controls.map((control) => (
          <li key={control.id} data-control={control.id}>
            <span className="notice-meta">
              {sources[control.source] ?? control.source}{' '}
              {control.citation === 'Keel' && control.source === 'keel' ? '' : control.citation}
            </span>{' '}
            {control.text[language]}
            <span className="risk-control-reason hint">
              {t('gov.risk.because', { reason: control.reason[language] })}
            </span>
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('gov.risk.scorecard')}</summary>
        <div className="table-wrap">
          <table aria-label={t('gov.risk.scorecard')}>
            <thead>
              <tr>
                <th scope="col">{t('gov.risk.question')}</th>
                <th scope="col">{t('gov.risk.answerColumn')}</th>
                <th scope="col">{t('gov.risk.points')}</th>
                <th scope="col">{t('gov.risk.citations')}</th>
              </tr>
            </thead>
            <tbody>
              {assessment.scorecard.entries.map((entry) => (
                <tr key={entry.question_id}>
                  <td>{entry.question[language]}</td>
                  <td>{entry.answer.map((answer) => answer[language]).join(', ')}</td>
                  <td>{format.number(entry.score)}</td>
                  <td>{entry.references.map((reference) => reference.citation).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {assessment.note ? <p className="notice-meta">{assessment.note}</p> : null}
    </div>
  );
}
