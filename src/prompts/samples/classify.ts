/**
 * @module prompts/samples/classify
 * Classification sample: triaging customer complaints by type and urgency, as a contact centre
 * does before routing them. Structured mode with few-shot examples and a JSON schema, so the
 * result can feed a ticketing system directly.
 */
import type { PromptSample } from '../../api/prompts.js';

const outputSchema = {
  type: 'object',
  properties: {
    category: { enum: ['delivery', 'defect', 'billing', 'service', 'other'] },
    urgency: { enum: ['low', 'medium', 'high'] },
    summary: { type: 'string', maxLength: 200 },
  },
  required: ['category', 'urgency', 'summary'],
  additionalProperties: false,
};

export const classifySamples: PromptSample[] = [
  {
    id: 'complaint-triage-ko',
    task: 'classify',
    language: 'ko',
    title: '고객 불만 분류',
    description: '접수된 불만을 유형(배송·불량·결제·응대·기타)과 긴급도로 분류하고 한 줄로 요약합니다.',
    use_case: '콜센터·온라인몰의 불만 접수 건을 담당 부서로 자동 배정',
    template: {
      mode: 'structured',
      instruction: [
        '고객 불만 접수 내용을 읽고 유형과 긴급도를 분류한 뒤 한 문장으로 요약하세요.',
        '유형은 다음 중 하나입니다: delivery(배송 지연·분실), defect(제품 불량·파손), billing(결제 오류·환불), service(직원 응대·상담), other(그 밖의 불만).',
        '긴급도는 고객에게 금전적 손해나 안전 위험이 있으면 high, 빠른 조치가 필요하면 medium, 그 밖에는 low입니다.',
        '결과는 JSON으로만 답하세요.',
      ].join('\n'),
      examples: [
        {
          input:
            '지난주 월요일에 주문한 냉장고가 아직도 오지 않았습니다. 배송 조회를 하면 계속 "출고 준비 중"으로만 나오고 고객센터는 전화 연결이 안 됩니다.',
          output:
            '{"category":"delivery","urgency":"medium","summary":"주문한 냉장고가 일주일째 출고 준비 상태이며 고객센터와 연락이 닿지 않음"}',
        },
        {
          input:
            '카드 결제가 두 번 승인됐는데 한 건이 열흘째 취소되지 않고 있습니다. 이번 달 카드 대금이 걱정됩니다.',
          output:
            '{"category":"billing","urgency":"high","summary":"카드 결제가 이중 승인되었고 한 건이 열흘째 취소되지 않음"}',
        },
        {
          input:
            '매장 직원분이 질문에 대답도 제대로 안 하시고 휴대폰만 보셨어요. 다시는 그 지점에 가고 싶지 않네요.',
          output:
            '{"category":"service","urgency":"low","summary":"매장 직원이 불친절하게 응대하여 고객이 재방문 의사를 잃음"}',
        },
      ],
      input_prefix: '불만 내용:',
      output_prefix: '분류 결과:',
      test_input: '{{complaint}}',
      variables: [{ name: 'complaint', type: 'string', description: '고객이 접수한 불만 원문' }],
      parameters: { decoding_method: 'greedy', max_new_tokens: 150 },
      output_schema: outputSchema,
    },
    example_variables: {
      complaint:
        '전자레인지를 받자마자 켰는데 문 쪽에서 불꽃이 튀었습니다. 무서워서 바로 플러그를 뽑았어요. 교환 말고 환불을 받고 싶습니다.',
    },
  },
  {
    id: 'complaint-triage-en',
    task: 'classify',
    language: 'en',
    title: 'Customer complaint triage',
    description:
      'Classifies a complaint by type (delivery, defect, billing, service, other) and urgency, with a one-line summary.',
    use_case: 'Routing complaints from a contact centre or online shop to the right team',
    template: {
      mode: 'structured',
      instruction: [
        'Read the customer complaint, classify its type and urgency, and summarise it in one sentence.',
        'The type is one of: delivery (late or lost delivery), defect (faulty or damaged product), billing (payment errors, refunds), service (staff or support behaviour), other.',
        'Urgency is high when the customer faces financial loss or a safety risk, medium when it needs prompt action, and low otherwise.',
        'Answer with JSON only.',
      ].join('\n'),
      examples: [
        {
          input:
            'I ordered a fridge last Monday and it still has not arrived. Tracking has said "preparing for dispatch" all week and nobody answers the phone.',
          output:
            '{"category":"delivery","urgency":"medium","summary":"A fridge ordered a week ago is still awaiting dispatch and support cannot be reached"}',
        },
        {
          input:
            'My card was charged twice and one of the charges still has not been reversed after ten days.',
          output:
            '{"category":"billing","urgency":"high","summary":"The card was charged twice and one charge has not been reversed for ten days"}',
        },
        {
          input:
            'The assistant in your store ignored my questions and kept looking at his phone. I will not go back to that branch.',
          output:
            '{"category":"service","urgency":"low","summary":"A store assistant was dismissive and the customer will not return to the branch"}',
        },
      ],
      input_prefix: 'Complaint:',
      output_prefix: 'Classification:',
      test_input: '{{complaint}}',
      variables: [
        { name: 'complaint', type: 'string', description: 'The complaint as the customer wrote it' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 150 },
      output_schema: outputSchema,
    },
    example_variables: {
      complaint:
        'The microwave sparked near the door the first time I switched it on. I unplugged it straight away. I want a refund, not a replacement.',
    },
  },
];
