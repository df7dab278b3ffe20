import { describe, expect, it } from 'vitest';
import type { Answers } from '../../api/governance-risk.js';
import { minimalRiskAnswers } from '../../testing/risk-answers.js';
import { builtinQuestionnaire, parseQuestionnaire } from './questionnaire-store.js';
import { scoreAnswers } from './risk-scoring.js';

const questionnaire = builtinQuestionnaire().questionnaire;

/** The mildest answers to every question: an internal drafting assistant. */
const benign: Answers = minimalRiskAnswers(
  '사내 문서 초안 작성 도우미 / drafting assistant for internal documents',
);

function score(answers: Answers) {
  const result = scoreAnswers(questionnaire, answers);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

describe('the built-in questionnaire', () => {
  it('is valid, bilingual, and covers the EU Annex III areas and the Korea high-impact areas', () => {
    const questions = questionnaire.sections.flatMap((section) => section.questions);
    for (const question of questions) {
      expect(question.text.ko).toMatch(/[가-힣]/);
      for (const option of question.options) expect(option.label.ko).toMatch(/[가-힣]/);
    }
    const domain = questions.find((question) => question.id === 'domain')!;
    const cited = new Set(domain.options.flatMap((option) => option.effect?.references ?? []));
    for (const point of ['1', '2', '3', '4', '5a', '5b', '5c', '5d', '6', '7', '8'])
      expect(cited, `Annex III ${point}`).toContain(`eu.annex3.${point}`);
    for (const letter of 'abcdefghijk') expect(cited, `Art. 2(4)(${letter})`).toContain(`kr.art2.4${letter}`);
    const prohibited = questions.find((question) => question.id === 'prohibited_practices')!;
    expect(prohibited.options.filter((option) => option.effect?.euCategory === 'prohibited')).toHaveLength(8);
  });
});

describe('scoring', () => {
  it('puts a benign internal assistant at minimal risk, not high-impact, with the reasons', () => {
    const card = score(benign);
    expect(card).toMatchObject({
      eu_category: 'minimal',
      korea_high_impact: false,
      prohibited: false,
      tier: 'minimal',
    });
    expect(card.reasons.map((reason) => reason.about)).toEqual(['eu', 'korea', 'tier']);
    expect(card.reasons[1]!.text.ko).toContain('고영향 인공지능 아님');
  });

  it('makes a customer chatbot limited risk under Art. 50(1), citing the Korea transparency duty too', () => {
    const card = score({ ...benign, interaction: ['conversational'], affected_people: ['customers'] });
    expect(card.eu_category).toBe('limited');
    const entry = card.entries.find((e) => e.question_id === 'interaction')!;
    expect(entry.references.map((r) => r.citation)).toEqual(['Art. 50(1)', 'Art. 31']);
    expect(card.reasons[0]!.text.en).toContain('Art. 50(1)');
  });

  it('makes loan screening EU high-risk (Annex III 5(b)) and Korea high-impact (Art. 2(4)(g)), tier high', () => {
    const card = score({ ...benign, domain: ['credit_scoring'], purpose_function: 'decision_support' });
    expect(card).toMatchObject({
      eu_category: 'high',
      korea_high_impact: true,
      tier: 'high',
      prohibited: false,
    });
    const korea = card.reasons.find((reason) => reason.about === 'korea')!;
    expect(korea.text.en).toContain('Art. 2(4)(g)');
    expect(korea.text.ko).toContain('대출 심사');
    expect(card.reasons.find((reason) => reason.about === 'eu')!.text.en).toContain('Annex III 5(b)');
  });

  it('makes health care Korea high-impact while the EU category follows the other answers', () => {
    const card = score({ ...benign, domain: ['health_care'] });
    expect(card).toMatchObject({ eu_category: 'minimal', korea_high_impact: true, tier: 'high' });
  });

  it('marks a prohibited practice prohibited whatever else is answered, and says it is blocked', () => {
    const card = score({
      ...benign,
      prohibited_practices: ['social_scoring', 'emotion_workplace_education'],
    });
    expect(card).toMatchObject({ eu_category: 'prohibited', prohibited: true, tier: 'prohibited' });
    const reason = card.reasons.find((r) => r.about === 'prohibited' && r.text.en.includes('Art. 5(1)(c)'))!;
    expect(reason.text.en).toContain('Art. 5(1)(f)');
    expect(card.reasons.at(-1)!.text.en).toContain('blocked');
  });

  it('raises the tier from the score and from floors, and says why', () => {
    const card = score({
      ...benign,
      purpose_function: 'automated_decision',
      affected_people: ['general_public', 'children'],
      scale: 'over_1m',
      autonomy: 'fully_autonomous',
    });
    expect(card.score).toBe(10 + 4 + 6 + 6 + 8);
    expect(card.tier).toBe('high');
    expect(card.reasons.find((r) => r.about === 'tier')!.text.en).toContain('score 34');
    const floor = score({ ...benign, impact_severity: 'health_or_safety' });
    expect(floor.score).toBe(14);
    expect(floor.tier).toBe('high');
    expect(floor.reasons.find((r) => r.about === 'tier')!.text.en).toContain('sets at least high');
  });

  it('names every problem with the answers', () => {
    const result = scoreAnswers(questionnaire, {
      ...benign,
      purpose_description: '',
      scale: ['under_100', 'over_1m'],
      domain: ['general', 'employment'],
      data_categories: ['personal_data', 'gossip'],
      extra: 'x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['answers.purpose_description', 'required'],
      ['answers.domain', 'invalid_value'],
      ['answers.scale', 'invalid_type'],
      ['answers.data_categories', 'invalid_value'],
      ['answers.extra', 'unrecognized_key'],
    ]);
  });
});

describe('a replaced questionnaire', () => {
  it('is validated: unknown references, duplicate ids and single-option choices are named', () => {
    const copy = structuredClone(questionnaire) as unknown as {
      sections: {
        questions: { id: string; options: { id: string; effect?: { references?: string[] } }[] }[];
      }[];
    };
    copy.sections[0]!.questions[1]!.options[0]!.effect = { references: ['eu.art99'] };
    copy.sections[1]!.questions[0]!.id = 'purpose_function';
    copy.sections[2]!.questions[0]!.options = copy.sections[2]!.questions[0]!.options.slice(0, 1);
    try {
      parseQuestionnaire(copy);
      expect.unreachable();
    } catch (error) {
      const issues = (error as { issues: { path: (string | number)[]; message: string }[] }).issues;
      expect(issues.map((issue) => issue.message)).toEqual([
        'unknown reference "eu.art99"',
        'duplicate question id "purpose_function"',
        'a choice needs two options',
      ]);
      expect(issues[0]!.path).toEqual([
        'questionnaire',
        'sections',
        0,
        'questions',
        1,
        'options',
        0,
        'effect',
        'references',
        0,
      ]);
    }
  });
});
