import { describe, expect, it } from 'vitest';
import type { Answers } from '../../api/governance-risk.js';
import { minimalRiskAnswers } from '../../testing/risk-answers.js';
import { builtinQuestionnaire, parseQuestionnaire } from './questionnaire-store.js';
import { scoreAnswers } from './risk-scoring.js';

const questionnaire = builtinQuestionnaire().questionnaire;

const benign: Answers = minimalRiskAnswers(
  '사내 문서 초안 작성 도우미 / drafting assistant for internal documents',
);

function controls(answers: Answers, q = questionnaire) {
  const result = scoreAnswers(q, answers);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value.required_controls!;
}

const ids = (list: { id: string }[]) => list.map((control) => control.id);

describe('required controls from the questionnaire', () => {
  it('asks only Keel gates of a minimal use, each with its reason in both languages', () => {
    const list = controls(benign);
    expect(ids(list)).toEqual(['keel.validation', 'keel.approval']);
    expect(list[0]!.reason).toEqual({ en: 'risk tier minimal', ko: '위험 등급 minimal' });
    expect(list[0]!.text.ko).toMatch(/[가-힣]/);
  });

  it('adds the transparency duties an answer cites, naming the answer', () => {
    const list = controls({ ...benign, interaction: ['conversational'], affected_people: ['customers'] });
    expect(ids(list)).toEqual(['eu.art50.1', 'kr.art31', 'keel.validation', 'keel.approval']);
    const art50 = list.find((control) => control.id === 'eu.art50.1')!;
    expect(art50.reason.en).toContain('Art. 50(1)');
    expect(art50.reason.en).toMatch(/^".+" → /);
  });

  it('lists EU high-risk, Korea high-impact and the two-approver gate for loan screening', () => {
    const list = controls({ ...benign, domain: ['credit_scoring'], purpose_function: 'decision_support' });
    for (const id of [
      'eu.risk-management',
      'eu.registration',
      'kr.risk-plan',
      'kr.notice',
      'keel.two-approvers',
    ])
      expect(ids(list)).toContain(id);
    expect(list.find((control) => control.id === 'eu.accuracy')!.reason.en).toBe('EU AI Act: high-risk');
    expect(list.find((control) => control.id === 'kr.documents')!.reason.ko).toBe(
      '인공지능기본법: 고영향 인공지능',
    );
  });

  it('lists only the ban for a prohibited practice (an exclusive control)', () => {
    const list = controls({ ...benign, prohibited_practices: ['social_scoring'] });
    expect(ids(list)).toEqual(['blocked']);
    expect(list[0]!.citation).toBe('Art. 5');
  });

  it("uses a replaced questionnaire's own controls, and checks them", () => {
    const own = parseQuestionnaire({
      ...questionnaire,
      controls: [
        {
          id: 'acme.review-board',
          source: 'acme',
          citation: 'Policy 7',
          text: { en: 'Review board sign-off.', ko: '검토 위원회 승인.' },
          when: { euCategory: ['limited', 'high'] },
        },
      ],
    });
    expect(ids(controls(benign, own))).toEqual([]);
    expect(ids(controls({ ...benign, interaction: ['conversational'] }, own))).toEqual(['acme.review-board']);
    expect(() =>
      parseQuestionnaire({
        ...questionnaire,
        controls: [
          { id: 'x', source: 'acme', citation: 'P1', text: { en: 'a', ko: '가' }, when: {} },
          {
            id: 'x',
            source: 'acme',
            citation: 'P2',
            text: { en: 'b', ko: '나' },
            when: { references: ['nope'] },
          },
        ],
      }),
    ).toThrow(
      expect.objectContaining({
        issues: expect.arrayContaining([
          expect.objectContaining({ path: ['questionnaire', 'controls', 0, 'when'] }),
          expect.objectContaining({ path: ['questionnaire', 'controls', 1, 'id'] }),
          expect.objectContaining({ path: ['questionnaire', 'controls', 1, 'when', 'references', 0] }),
        ]),
      }),
    );
  });

  it('scores a partial answer set for a preview without refusing the unanswered', () => {
    const { interaction: _, scale: __, ...partial } = benign;
    expect(scoreAnswers(questionnaire, partial).ok).toBe(false);
    const preview = scoreAnswers(questionnaire, partial, { partial: true });
    expect(preview.ok && preview.value.tier).toBe('minimal');
  });
});
