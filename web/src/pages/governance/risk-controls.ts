/**
 * The controls a risk assessment's result calls for: the duties of the EU AI Act category, of
 * Korea's AI Basic Act for high-impact AI, the transparency duties of the answers that cited them,
 * and the gates Keel itself enforces for the tier. Derived from the assessment as served (its
 * category, determination, tier and the references its scorecard cites); the texts are in both
 * languages, like the questionnaire's.
 */
import type { AssessmentJson, Bilingual } from '@keel/api/governance-risk';

export interface RiskControl {
  id: string;
  /** Who requires it: the EU AI Act, Korea's AI Basic Act, or Keel's own gates. */
  source: 'eu' | 'korea' | 'keel';
  citation: string;
  text: Bilingual;
}

const control = (id: string, source: RiskControl['source'], citation: string, en: string, ko: string) => ({
  id,
  source,
  citation,
  text: { en, ko },
});

const prohibited = [
  control(
    'blocked',
    'eu',
    'Art. 5',
    'Do not build or deploy it: a prohibited practice. The use case is blocked and no approval can lift that.',
    '개발하거나 배포하지 마세요: 금지된 관행입니다. 활용 사례는 차단되며 어떤 승인으로도 해제할 수 없습니다.',
  ),
];

const euHigh = [
  control(
    'eu.risk-management',
    'eu',
    'Art. 9',
    'A risk management system kept for the whole lifecycle.',
    '전 수명 주기에 걸친 위험 관리 체계를 운영합니다.',
  ),
  control(
    'eu.data-governance',
    'eu',
    'Art. 10',
    'Data governance: training, validation and test data relevant, representative and checked for bias.',
    '데이터 거버넌스: 학습·검증·시험 데이터가 목적에 맞고 대표성이 있으며 편향을 점검합니다.',
  ),
  control(
    'eu.documentation',
    'eu',
    'Art. 11, Annex IV',
    "Technical documentation before deployment (the factsheet's Annex IV outline).",
    '배포 전에 기술 문서를 작성합니다(팩트시트의 부속서 IV 개요).',
  ),
  control(
    'eu.logging',
    'eu',
    'Art. 12',
    'Automatic logging of events while in use (the audit log and request logs).',
    '운영 중 이벤트를 자동으로 기록합니다(감사 로그와 요청 로그).',
  ),
  control(
    'eu.transparency',
    'eu',
    'Art. 13',
    'Instructions for use that tell deployers its purpose, accuracy and limits.',
    '배포자에게 목적·정확도·한계를 알리는 사용 설명서를 제공합니다.',
  ),
  control(
    'eu.oversight',
    'eu',
    'Art. 14',
    'Human oversight: people who can understand, override or stop the output.',
    '사람의 감독: 결과를 이해하고 무시하거나 중단할 수 있는 담당자를 둡니다.',
  ),
  control(
    'eu.accuracy',
    'eu',
    'Art. 15',
    'Accuracy, robustness and cybersecurity measured and declared (evaluation runs with thresholds).',
    '정확성·견고성·사이버 보안을 측정하고 밝힙니다(기준값이 있는 평가 실행).',
  ),
  control(
    'eu.registration',
    'eu',
    'Art. 49',
    'Registration in the EU database before it is placed on the market or put into service.',
    '시장 출시나 사용 개시 전에 EU 데이터베이스에 등록합니다.',
  ),
];

const koreaHighImpact = [
  control(
    'kr.confirmation',
    'korea',
    'Art. 33',
    'Confirm (and, when unsure, ask the Minister of Science and ICT) that it is high-impact AI.',
    '고영향 인공지능에 해당하는지 확인합니다(불분명하면 과학기술정보통신부 장관에게 확인을 요청).',
  ),
  control(
    'kr.risk-plan',
    'korea',
    'Art. 34(1)1',
    'A risk management plan, set up and run.',
    '위험관리방안을 수립·운영합니다.',
  ),
  control(
    'kr.explanation',
    'korea',
    'Art. 34(1)2',
    'An explanation plan: the basis of results and an overview of the training data, as far as technically possible.',
    '기술적으로 가능한 범위에서 결과 도출의 기준과 학습 데이터 개요를 설명하는 방안을 마련합니다.',
  ),
  control(
    'kr.user-protection',
    'korea',
    'Art. 34(1)3',
    'Measures that protect users.',
    '이용자 보호 방안을 마련합니다.',
  ),
  control(
    'kr.supervision',
    'korea',
    'Art. 34(1)4',
    'Human management and supervision of the system.',
    '사람이 고영향 인공지능을 관리·감독합니다.',
  ),
  control(
    'kr.documents',
    'korea',
    'Art. 34(1)5',
    'Documents that show the safety and reliability measures, kept.',
    '안전성·신뢰성 확보 조치를 확인할 수 있는 문서를 작성·보관합니다.',
  ),
  control(
    'kr.notice',
    'korea',
    'Art. 31(1)',
    'Tell users in advance that the product or service runs on high-impact AI.',
    '고영향 인공지능 기반 제품·서비스임을 이용자에게 사전에 고지합니다.',
  ),
  control(
    'kr.impact-assessment',
    'korea',
    'Art. 35',
    'An impact assessment on fundamental rights (an effort duty; public procurement prefers assessed systems).',
    '기본권 영향평가를 하도록 노력합니다(공공 조달은 평가를 받은 제품을 우선 고려).',
  ),
];

/** Duties that follow from one cited reference, whatever the category. */
const byReference: Record<string, RiskControl> = {
  'eu.art50.1': control(
    'eu.art50.1',
    'eu',
    'Art. 50(1)',
    'Tell people they are interacting with an AI system.',
    '사람들에게 인공지능 시스템과 상호작용하고 있음을 알립니다.',
  ),
  'eu.art50.2': control(
    'eu.art50.2',
    'eu',
    'Art. 50(2)',
    'Mark generated audio, images, video and text as artificially generated, machine-readably.',
    '생성된 음성·이미지·영상·텍스트에 인공적으로 생성되었음을 기계가 읽을 수 있게 표시합니다.',
  ),
  'eu.art50.3': control(
    'eu.art50.3',
    'eu',
    'Art. 50(3)',
    'Inform people exposed to emotion recognition or biometric categorisation.',
    '감정 인식이나 생체 분류의 대상이 되는 사람에게 알립니다.',
  ),
  'eu.art50.4': control(
    'eu.art50.4',
    'eu',
    'Art. 50(4)',
    'Disclose deep fakes as artificially generated or manipulated.',
    '딥페이크는 인공적으로 생성·조작되었음을 밝힙니다.',
  ),
  'eu.art27': control(
    'eu.art27',
    'eu',
    'Art. 27',
    'A fundamental rights impact assessment before first use (public bodies, credit and insurance deployers).',
    '처음 사용하기 전에 기본권 영향평가를 합니다(공공기관, 신용·보험 분야 배포자).',
  ),
  'kr.art31': control(
    'kr.art31',
    'korea',
    'Art. 31',
    'Notify users of generative AI, label generated output, and mark output that is hard to tell from reality.',
    '생성형 인공지능임을 알리고, 생성물임을 표시하며, 실제와 구별하기 어려운 결과물은 그 사실을 명확히 표시합니다.',
  ),
};

const keelGates = {
  high: [
    control(
      'keel.two-approvers',
      'keel',
      'Keel',
      'Two go decisions from validators or admins, none by whoever created or changed the asset.',
      '검증자 또는 관리자 두 명의 승인이 필요하며, 자산을 만들거나 바꾼 사람은 승인할 수 없습니다.',
    ),
  ],
  any: [
    control(
      'keel.validation',
      'keel',
      'Keel',
      "Validation: evaluation runs that meet the approach's thresholds, and a validation report.",
      '검증: 접근 방식의 기준값을 충족하는 평가 실행과 검증 보고서가 필요합니다.',
    ),
    control(
      'keel.approval',
      'keel',
      'Keel',
      'An approval before deployment to production; a change to an approved asset sends it back to validation.',
      '운영 배포 전에 승인이 필요하며, 승인된 자산이 바뀌면 다시 검증 단계로 돌아갑니다.',
    ),
  ],
};

/** The controls an assessment calls for, the strictest first; each control once. */
export function requiredControls(
  assessment: Pick<AssessmentJson, 'prohibited' | 'eu_category' | 'korea_high_impact' | 'tier' | 'scorecard'>,
): RiskControl[] {
  if (assessment.prohibited) return prohibited;
  const out: RiskControl[] = [];
  if (assessment.eu_category === 'high') out.push(...euHigh);
  if (assessment.korea_high_impact) out.push(...koreaHighImpact);
  const cited = new Set(
    assessment.scorecard.entries.flatMap((entry) => entry.references.map((reference) => reference.id)),
  );
  for (const [id, duty] of Object.entries(byReference)) if (cited.has(id)) out.push(duty);
  if (assessment.tier === 'high') out.push(...keelGates.high);
  out.push(...keelGates.any);
  const seen = new Set<string>();
  return out.filter((each) => !seen.has(each.id) && seen.add(each.id));
}
