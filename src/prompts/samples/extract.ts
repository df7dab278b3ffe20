/**
 * @module prompts/samples/extract
 * Extraction sample: pulling the key clauses out of a contract (parties, dates, term, payment,
 * termination notice, liability cap, governing law), as legal and procurement teams do when they
 * review supplier agreements. Freeform mode with a JSON schema; absent clauses are null, never
 * guessed.
 */
import type { PromptSample } from '../../api/prompts.js';

const clause = { type: ['string', 'null'] };
const outputSchema = {
  type: 'object',
  properties: {
    parties: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, role: { type: 'string' } },
        required: ['name', 'role'],
        additionalProperties: false,
      },
    },
    effective_date: clause,
    term: clause,
    payment_terms: clause,
    termination_notice: clause,
    liability_cap: clause,
    governing_law: clause,
    confidentiality: { type: 'boolean' },
  },
  required: [
    'parties',
    'effective_date',
    'term',
    'payment_terms',
    'termination_notice',
    'liability_cap',
    'governing_law',
    'confidentiality',
  ],
  additionalProperties: false,
};

export const extractSamples: PromptSample[] = [
  {
    id: 'contract-clauses-ko',
    task: 'extract',
    language: 'ko',
    title: '계약서 핵심 조항 추출',
    description:
      '계약 당사자, 효력 발생일, 계약 기간, 대금 지급 조건, 해지 통보 기간, 손해배상 한도, 준거법, 비밀유지 조항 여부를 뽑아냅니다.',
    use_case: '법무·구매팀의 공급 계약 검토와 계약 관리 시스템 입력',
    template: {
      mode: 'freeform',
      text: [
        '당신은 기업 법무팀의 계약 검토 담당자입니다. 아래 계약서에서 핵심 조항을 추출하세요.',
        '',
        '규칙:',
        '- 계약서에 적힌 표현을 그대로 옮기되, 필요한 부분만 간결하게 적으세요.',
        '- 계약서에 없는 조항은 추측하지 말고 null로 두세요.',
        '- 당사자의 역할은 "갑", "을" 또는 "공급자", "구매자"처럼 계약서에 쓰인 호칭을 사용하세요.',
        '- confidentiality는 비밀유지 조항이 있으면 true, 없으면 false입니다.',
        '',
        '계약서:',
        '"""',
        '{{contract}}',
        '"""',
        '',
        'JSON:',
      ].join('\n'),
      variables: [{ name: 'contract', type: 'string', description: '계약서 본문(전체 또는 검토할 부분)' }],
      parameters: { decoding_method: 'greedy', max_new_tokens: 400 },
      output_schema: outputSchema,
    },
    example_variables: {
      contract: [
        '물품 공급 계약서',
        '주식회사 한빛전자(이하 "갑")와 주식회사 대성부품(이하 "을")은 다음과 같이 계약을 체결한다.',
        '제2조(계약 기간) 본 계약은 2025년 3월 1일부터 효력이 발생하며 기간은 2년으로 한다.',
        '제5조(대금 지급) 갑은 을의 세금계산서 발행일로부터 30일 이내에 대금을 현금으로 지급한다.',
        '제9조(해지) 각 당사자는 상대방에게 60일 전에 서면으로 통지하여 본 계약을 해지할 수 있다.',
        '제11조(손해배상) 을의 손해배상 책임은 직전 12개월간 지급된 계약 대금 총액을 한도로 한다.',
        '제13조(비밀유지) 양 당사자는 본 계약의 이행 과정에서 알게 된 상대방의 영업비밀을 제3자에게 누설하여서는 아니 된다.',
        '제15조(준거법) 본 계약은 대한민국 법률에 따라 해석된다.',
      ].join('\n'),
    },
  },
  {
    id: 'contract-clauses-en',
    task: 'extract',
    language: 'en',
    title: 'Contract key clause extraction',
    description:
      'Extracts the parties, effective date, term, payment terms, termination notice, liability cap, governing law and whether there is a confidentiality clause.',
    use_case: 'Supplier agreement review by legal and procurement; filling a contract management system',
    template: {
      mode: 'freeform',
      text: [
        'You are a contract reviewer in a corporate legal team. Extract the key clauses from the contract below.',
        '',
        'Rules:',
        '- Quote the contract’s own wording, trimmed to what matters.',
        '- If the contract has no such clause, use null; do not guess.',
        '- Give each party the role the contract uses ("Supplier", "Customer", "Licensor" …).',
        '- confidentiality is true when the contract has a confidentiality clause, false otherwise.',
        '',
        'Contract:',
        '"""',
        '{{contract}}',
        '"""',
        '',
        'JSON:',
      ].join('\n'),
      variables: [
        { name: 'contract', type: 'string', description: 'The contract text (whole, or the part to review)' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 400 },
      output_schema: outputSchema,
    },
    example_variables: {
      contract: [
        'SUPPLY AGREEMENT between Northwind Components Ltd ("Supplier") and Contoso Manufacturing Inc. ("Customer").',
        '2. Term. This Agreement takes effect on 1 March 2025 and continues for two (2) years.',
        '5. Payment. Customer shall pay each undisputed invoice within thirty (30) days of receipt.',
        '9. Termination. Either party may terminate this Agreement on sixty (60) days’ written notice.',
        '11. Liability. Supplier’s aggregate liability shall not exceed the fees paid in the twelve (12) months preceding the claim.',
        '14. Governing Law. This Agreement is governed by the laws of England and Wales.',
      ].join('\n'),
    },
  },
];
