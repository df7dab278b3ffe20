/**
 * @module governance/risk/risk-scoring
 * Answers → result, a pure function of the questionnaire and the answers. The EU AI Act category
 * is the most severe one any chosen option carries (prohibited > high > limited > minimal); the
 * use is Korea "high-impact AI" when any chosen option says so; the score is the sum of the
 * options' points and the tier the highest of: the score's threshold, every option's floor, and
 * `high` for an EU high-risk or prohibited use or a Korea high-impact one. The scorecard keeps every
 * answered choice with what it contributed and the references it cites, so the result can be read
 * back to the answers that led to it.
 */
import type {
  Answers,
  Bilingual,
  EuCategory,
  Questionnaire,
  RiskTier,
  Scorecard,
  ScorecardEntry,
} from '../../api/governance-risk.js';
import { euCategories, riskTiers } from '../../api/governance-risk.js';
import type { Issue } from '../../core/errors.js';
import { requiredControls } from './required-controls.js';

export type ScoreResult = { ok: true; value: Scorecard } | { ok: false; issues: Issue[] };

const severity = (category: EuCategory) => euCategories.indexOf(category);
const rank = (tier: RiskTier) => riskTiers.indexOf(tier);
const higherTier = (a: RiskTier, b: RiskTier) => (rank(b) > rank(a) ? b : a);

const euNames: Record<EuCategory, Bilingual> = {
  prohibited: { en: 'prohibited practice', ko: '금지된 관행' },
  high: { en: 'high-risk', ko: '고위험' },
  limited: { en: 'limited risk (transparency duties)', ko: '제한적 위험 (투명성 의무)' },
  minimal: { en: 'minimal risk', ko: '최소 위험' },
};

function citationsOf(entries: ScorecardEntry[]): string {
  const seen = new Set<string>();
  for (const entry of entries) for (const reference of entry.references) seen.add(reference.citation);
  return [...seen].join(', ');
}

function answerList(entries: ScorecardEntry[], language: 'en' | 'ko'): string {
  return entries
    .map((entry) => `${entry.question[language]} → ${entry.answer.map((a) => a[language]).join(', ')}`)
    .join('; ');
}

export interface ScoreOptions {
  /** Unanswered required questions are not issues (a preview of answers so far). */
  partial?: boolean;
}

/** Checks the answers against the questionnaire and scores them, with the controls the result calls for. */
export function scoreAnswers(
  questionnaire: Questionnaire,
  answers: Answers,
  scoring: ScoreOptions = {},
): ScoreResult {
  const issues: Issue[] = [];
  const known = new Set<string>();
  const entries: ScorecardEntry[] = [];
  for (const section of questionnaire.sections) {
    for (const question of section.questions) {
      known.add(question.id);
      const answer = answers[question.id];
      const path = ['answers', question.id];
      const missing =
        answer === undefined || (typeof answer === 'string' ? answer.trim() === '' : answer.length === 0);
      if (missing) {
        if (question.required && !scoring.partial)
          issues.push({ code: 'required', path, message: 'This question needs an answer.' });
        continue;
      }
      if (question.kind === 'text') {
        if (typeof answer !== 'string')
          issues.push({ code: 'invalid_type', path, message: 'Expected text.' });
        continue;
      }
      const chosen = typeof answer === 'string' ? [answer] : answer;
      if (question.kind === 'single' && chosen.length !== 1) {
        issues.push({ code: 'invalid_type', path, message: 'Choose exactly one option.' });
        continue;
      }
      if (new Set(chosen).size !== chosen.length) {
        issues.push({ code: 'duplicate', path, message: 'An option is chosen twice.' });
        continue;
      }
      const options = chosen.map((id) => question.options.find((option) => option.id === id));
      const unknown = chosen.filter((_, i) => !options[i]);
      if (unknown.length) {
        issues.push({
          code: 'invalid_value',
          path,
          message: `Unknown option ${unknown.map((id) => `"${id}"`).join(', ')}; expected one of ${question.options.map((option) => option.id).join(', ')}.`,
        });
        continue;
      }
      const picked = options as NonNullable<(typeof options)[number]>[];
      if (picked.length > 1 && picked.some((option) => option.exclusive)) {
        issues.push({
          code: 'invalid_value',
          path,
          message: `"${picked.find((o) => o.exclusive)!.id}" excludes the others.`,
        });
        continue;
      }
      let score = 0;
      let euCategory: EuCategory | null = null;
      let koreaHighImpact = false;
      let tierFloor: RiskTier | null = null;
      const referenceIds = new Set<string>();
      for (const option of picked) {
        const effect = option.effect ?? {};
        score += effect.score ?? 0;
        if (effect.euCategory && (!euCategory || severity(effect.euCategory) > severity(euCategory)))
          euCategory = effect.euCategory;
        if (effect.koreaHighImpact) koreaHighImpact = true;
        if (effect.tierFloor)
          tierFloor = tierFloor ? higherTier(tierFloor, effect.tierFloor) : effect.tierFloor;
        for (const id of effect.references ?? []) referenceIds.add(id);
      }
      entries.push({
        question_id: question.id,
        question: question.text,
        answer: picked.map((option) => option.label),
        option_ids: picked.map((option) => option.id),
        score,
        eu_category: euCategory,
        korea_high_impact: koreaHighImpact,
        tier_floor: tierFloor,
        references: [...referenceIds].flatMap((id) => {
          const reference = questionnaire.references[id];
          return reference ? [{ id, ...reference }] : [];
        }),
      });
    }
  }
  for (const id of Object.keys(answers))
    if (!known.has(id))
      issues.push({
        code: 'unrecognized_key',
        path: ['answers', id],
        message: 'Not a question of this questionnaire.',
      });
  if (issues.length) return { ok: false, issues };
  const scorecard = summarise(questionnaire, entries);
  return { ok: true, value: { ...scorecard, required_controls: requiredControls(questionnaire, scorecard) } };
}

function summarise(questionnaire: Questionnaire, entries: ScorecardEntry[]): Scorecard {
  const score = entries.reduce((sum, entry) => sum + entry.score, 0);
  let euCategory: EuCategory = 'minimal';
  for (const entry of entries)
    if (entry.eu_category && severity(entry.eu_category) > severity(euCategory))
      euCategory = entry.eu_category;
  const koreaHighImpact = entries.some((entry) => entry.korea_high_impact);
  const prohibited = euCategory === 'prohibited';
  const thresholds = questionnaire.tiers;
  let tier: RiskTier =
    score >= thresholds.high ? 'high' : score >= thresholds.limited ? 'limited' : 'minimal';
  const reasons: Scorecard['reasons'] = [];
  const tierWhy: Bilingual[] = [
    {
      en: `score ${score} (limited from ${thresholds.limited}, high from ${thresholds.high})`,
      ko: `점수 ${score} (제한 ${thresholds.limited} 이상, 높음 ${thresholds.high} 이상)`,
    },
  ];
  const raise = (to: RiskTier, why: Bilingual) => {
    if (rank(to) > rank(tier)) {
      tier = to;
      tierWhy.push(why);
    }
  };
  const euEntries = entries.filter((entry) => entry.eu_category === euCategory);
  if (euCategory === 'minimal') {
    reasons.push({
      about: 'eu',
      text: {
        en: 'EU AI Act: minimal risk — no answer falls under Art. 5, Art. 6 with Annex I or III, or Art. 50.',
        ko: 'EU AI법: 최소 위험 — 제5조, 제6조(부속서 I·III) 또는 제50조에 해당하는 답변이 없습니다.',
      },
    });
  } else {
    reasons.push({
      about: euCategory === 'prohibited' ? 'prohibited' : 'eu',
      text: {
        en: `EU AI Act: ${euNames[euCategory].en} because ${answerList(euEntries, 'en')} (${citationsOf(euEntries)}).`,
        ko: `EU AI법: ${euNames[euCategory].ko} — 근거: ${answerList(euEntries, 'ko')} (${citationsOf(euEntries)}).`,
      },
    });
  }
  const koreaEntries = entries.filter((entry) => entry.korea_high_impact);
  reasons.push({
    about: 'korea',
    text: koreaHighImpact
      ? {
          en: `Korea AI Basic Act: high-impact AI because ${answerList(koreaEntries, 'en')} (${citationsOf(koreaEntries)}); the operator duties of Art. 34 apply.`,
          ko: `인공지능기본법: 고영향 인공지능 — 근거: ${answerList(koreaEntries, 'ko')} (${citationsOf(koreaEntries)}); 제34조의 사업자 책무가 적용됩니다.`,
        }
      : {
          en: 'Korea AI Basic Act: not high-impact AI — no answer falls in an area of Art. 2(4).',
          ko: '인공지능기본법: 고영향 인공지능 아님 — 제2조제4호의 영역에 해당하는 답변이 없습니다.',
        },
  });
  for (const entry of entries)
    if (entry.tier_floor)
      raise(entry.tier_floor, {
        en: `"${entry.question.en}" → ${entry.answer.map((a) => a.en).join(', ')} sets at least ${entry.tier_floor}`,
        ko: `"${entry.question.ko}" → ${entry.answer.map((a) => a.ko).join(', ')} 답변으로 최소 ${entry.tier_floor}`,
      });
  if (severity(euCategory) >= severity('high'))
    raise(euCategory === 'prohibited' ? 'prohibited' : 'high', {
      en: `EU AI Act ${euNames[euCategory].en}`,
      ko: `EU AI법 ${euNames[euCategory].ko}`,
    });
  if (koreaHighImpact) raise('high', { en: 'Korea high-impact AI', ko: '인공지능기본법상 고영향 인공지능' });
  reasons.push({
    about: 'tier',
    text: {
      en: `Risk tier ${tier}: ${tierWhy.map((why) => why.en).join('; ')}.`,
      ko: `위험 등급 ${tier}: ${tierWhy.map((why) => why.ko).join('; ')}.`,
    },
  });
  if (prohibited)
    reasons.push({
      about: 'prohibited',
      text: {
        en: 'The use is blocked: a prohibited practice cannot be approved or deployed.',
        ko: '이 활용은 차단됩니다: 금지된 관행은 승인하거나 배포할 수 없습니다.',
      },
    });
  return {
    score,
    thresholds: { limited: thresholds.limited, high: thresholds.high },
    eu_category: euCategory,
    korea_high_impact: koreaHighImpact,
    prohibited,
    tier,
    reasons,
    entries,
  };
}
