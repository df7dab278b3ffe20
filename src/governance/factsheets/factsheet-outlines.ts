/**
 * @module governance/factsheets/factsheet-outlines
 * Two documentation outlines filled from the factsheet's sections: the EU AI Act's technical
 * documentation (Annex IV, points 1–9) and the documents Korea's AI Basic Act asks of a
 * high-impact AI operator (Art. 31, 33, 34, 35). A heading is filled when every section it needs
 * holds something; otherwise its gap says what to record. Points Keel never records (harmonised
 * standards, the declaration of conformity) are always gaps.
 */

import type { FactsheetSection, FactsheetSectionId, OutlineItem } from '../../api/factsheets.js';
import type { Bilingual } from '../../api/governance-risk.js';
import type { Facts } from './factsheet-facts.js';

interface Heading {
  id: string;
  heading: Bilingual;
  /** Sections that must hold something for the heading to be filled. */
  needs: FactsheetSectionId[];
  /** Sections that add facts when present. */
  uses?: FactsheetSectionId[];
  /** A gap Keel cannot fill from its records. */
  external?: Bilingual;
  /** Also needs the use case's stated purpose. */
  purpose?: boolean;
}

const euAnnexIv: Heading[] = [
  {
    id: '1',
    heading: {
      en: 'General description of the AI system (intended purpose, versions, components)',
      ko: 'AI 시스템의 일반적 설명 (의도된 목적, 버전, 구성요소)',
    },
    needs: ['models'],
    uses: ['prompt_templates', 'rag_collections'],
    purpose: true,
  },
  {
    id: '2',
    heading: {
      en: 'Elements of the system and its development process (design, data, validation and testing)',
      ko: '시스템의 구성요소와 개발 과정 (설계, 데이터, 검증 및 시험)',
    },
    needs: ['datasets', 'evaluations'],
    uses: ['prompt_templates', 'rag_collections'],
  },
  {
    id: '3',
    heading: {
      en: 'Monitoring, functioning and control (capabilities, limitations, human oversight)',
      ko: '모니터링, 작동 및 통제 (역량, 한계, 인간의 감독)',
    },
    needs: ['guardrail_policies', 'risk'],
  },
  {
    id: '4',
    heading: { en: 'Appropriateness of the performance metrics', ko: '성능 지표의 적절성' },
    needs: ['evaluations'],
  },
  {
    id: '5',
    heading: { en: 'Risk management system (Art. 9)', ko: '위험관리 시스템 (제9조)' },
    needs: ['risk'],
    uses: ['approvals'],
  },
  {
    id: '6',
    heading: { en: 'Relevant changes through the lifecycle', ko: '수명 주기 동안의 주요 변경' },
    needs: ['lifecycle'],
  },
  {
    id: '7',
    heading: {
      en: 'Harmonised standards and other specifications applied',
      ko: '적용된 조화 표준 및 기타 규격',
    },
    needs: [],
    external: {
      en: 'Keel does not record the standards applied: list them in the use case documentation.',
      ko: 'Keel은 적용 표준을 기록하지 않습니다: 활용 사례 문서에 기재하십시오.',
    },
  },
  {
    id: '8',
    heading: { en: 'EU declaration of conformity (Art. 47)', ko: 'EU 적합성 선언 (제47조)' },
    needs: [],
    external: {
      en: 'Attach a copy of the declaration of conformity.',
      ko: '적합성 선언서 사본을 첨부하십시오.',
    },
  },
  {
    id: '9',
    heading: {
      en: 'Post-market monitoring system and plan (Art. 72)',
      ko: '시판 후 모니터링 체계 및 계획 (제72조)',
    },
    needs: ['monitors'],
    uses: ['deployments', 'incidents'],
  },
];

const koreaBasicAct: Heading[] = [
  {
    id: 'art33',
    heading: { en: 'High-impact AI determination (Art. 33)', ko: '고영향 인공지능 해당 여부 확인 (제33조)' },
    needs: ['risk'],
  },
  {
    id: 'art34-1',
    heading: {
      en: 'Risk management plan and its operation (Art. 34(1)1)',
      ko: '위험관리방안의 수립·운영 (제34조제1항제1호)',
    },
    needs: ['risk', 'approvals'],
  },
  {
    id: 'art34-2',
    heading: {
      en: 'Explanation of results: main criteria and training data overview (Art. 34(1)2)',
      ko: '결과 도출의 주요 기준 및 학습용 데이터 개요 설명 (제34조제1항제2호)',
    },
    needs: ['models', 'datasets'],
    uses: ['prompt_templates', 'rag_collections'],
  },
  {
    id: 'art34-3',
    heading: { en: 'User protection measures (Art. 34(1)3)', ko: '이용자 보호 방안 (제34조제1항제3호)' },
    needs: ['guardrail_policies'],
  },
  {
    id: 'art34-4',
    heading: {
      en: 'Human management and oversight (Art. 34(1)4)',
      ko: '사람의 관리·감독 (제34조제1항제4호)',
    },
    needs: ['approvals', 'lifecycle'],
  },
  {
    id: 'art34-5',
    heading: {
      en: 'Documents on safety and reliability measures (Art. 34(1)5)',
      ko: '안전성·신뢰성 확보 조치 내용의 문서 작성·보관 (제34조제1항제5호)',
    },
    needs: ['evaluations', 'lifecycle'],
  },
  {
    id: 'art31',
    heading: {
      en: 'Transparency: prior notice and labelling of generated output (Art. 31)',
      ko: '투명성 확보: 사전 고지 및 생성 결과물 표시 (제31조)',
    },
    needs: ['risk'],
    uses: ['guardrail_policies'],
  },
  {
    id: 'art35',
    heading: { en: 'Impact assessment on fundamental rights (Art. 35)', ko: '기본권 영향평가 (제35조)' },
    needs: ['risk'],
  },
  {
    id: 'operation',
    heading: {
      en: 'Operation after deployment: monitoring and incidents',
      ko: '배포 후 운영: 모니터링과 사고 대응',
    },
    needs: ['monitors', 'deployments'],
    uses: ['incidents'],
  },
];

function factsOf(section: FactsheetSection): string {
  const labels = section.items.slice(0, 5).map((item) => item.label);
  const more = section.items.length > 5 ? ` (+${section.items.length - 5})` : '';
  return `${section.title.en}: ${labels.join(', ')}${more}`;
}

function fill(headings: Heading[], sections: FactsheetSection[], facts: Facts): OutlineItem[] {
  const byId = new Map(sections.map((section) => [section.id, section]));
  const purpose = facts.useCase.purpose.trim();
  return headings.map((heading) => {
    const missing = heading.needs.filter((id) => byId.get(id)?.empty !== false);
    const lines: string[] = [];
    if (heading.purpose && purpose) lines.push(`Purpose: ${purpose}`);
    if (heading.purpose && facts.approach)
      lines.push(`Approach: v${facts.approach.version} ${facts.approach.name}`);
    for (const id of [...heading.needs, ...(heading.uses ?? [])]) {
      const section = byId.get(id);
      if (section && !section.empty) lines.push(factsOf(section));
    }
    const needsPurpose = heading.purpose === true && !purpose;
    let gap: Bilingual | null = heading.external ?? null;
    if (!gap && (missing.length || needsPurpose)) {
      const names = missing.map((id) => byId.get(id)!.title);
      if (needsPurpose) names.unshift({ en: 'the intended purpose', ko: '의도된 목적' });
      gap = {
        en: `Nothing recorded yet for: ${names.map((name) => name.en).join(', ')}.`,
        ko: `아직 기록되지 않음: ${names.map((name) => name.ko).join(', ')}.`,
      };
    }
    return {
      id: heading.id,
      heading: heading.heading,
      sources: [...heading.needs, ...(heading.uses ?? [])],
      filled: gap === null,
      facts: lines,
      gap,
    };
  });
}

export function outlinesOf(
  sections: FactsheetSection[],
  facts: Facts,
): { eu_annex_iv: OutlineItem[]; korea_basic_act: OutlineItem[] } {
  return {
    eu_annex_iv: fill(euAnnexIv, sections, facts),
    korea_basic_act: fill(koreaBasicAct, sections, facts),
  };
}
