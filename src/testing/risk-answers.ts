/**
 * @module testing/risk-answers
 * Answers to the built-in risk questionnaire for tests: a minimal-risk use case (no personal data,
 * internal staff, assistive, negligible impact). Spread it and change one field for another tier,
 * e.g. `{ ...minimalRiskAnswers(), domain: ['employment'] }` is high risk.
 */
import type { Answers } from '../api/governance-risk.js';

export function minimalRiskAnswers(purpose = 'reply drafts for support agents'): Answers {
  return {
    purpose_description: purpose,
    purpose_function: 'content_generation',
    prohibited_practices: ['none'],
    domain: ['general'],
    affected_people: ['internal_staff'],
    scale: 'under_100',
    impact_severity: 'negligible',
    autonomy: 'assistive',
    reversibility: 'easily_reversed',
    data_categories: ['no_personal_data'],
    interaction: ['not_exposed'],
  };
}
