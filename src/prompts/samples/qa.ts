/**
 * @module prompts/samples/qa
 * Question-answering sample: a customer-service reply grounded in the company's own policy text.
 * Chat mode; the policy is a variable, so the same template serves any product line, and the
 * model is told to hand over to a person instead of inventing a policy.
 */
import type { PromptSample } from '../../api/prompts.js';

export const qaSamples: PromptSample[] = [
  {
    id: 'customer-service-answer-ko',
    task: 'qa',
    language: 'ko',
    title: '고객 상담 답변',
    description:
      '회사 정책 문서를 근거로 고객 문의에 정중하게 답하고, 정책에 없는 내용은 상담원 연결을 안내합니다.',
    use_case: '고객센터 채팅·이메일 문의에 대한 1차 답변 초안 작성',
    template: {
      mode: 'chat',
      system: [
        '당신은 {{company}} 고객센터 상담원입니다.',
        '아래 정책에 근거해서만 답하세요. 정책에 없는 내용은 추측하지 말고, "정확한 안내를 위해 상담원이 확인 후 연락드리겠습니다."라고 안내하세요.',
        '고객의 불편에 먼저 공감을 표현하고, 해결 방법을 단계별로 안내한 뒤, 추가로 도울 일이 있는지 물으며 마무리하세요.',
        '답변은 다섯 문장 이내의 정중한 존댓말로 작성하세요.',
        '',
        '[정책]',
        '{{policy}}',
      ].join('\n'),
      messages: [{ role: 'user', content: '{{question}}' }],
      variables: [
        { name: 'company', type: 'string', description: '회사 또는 서비스 이름' },
        { name: 'policy', type: 'string', description: '답변 근거가 되는 정책·약관 발췌' },
        { name: 'question', type: 'string', description: '고객 문의 원문' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 300 },
    },
    example_variables: {
      company: '한빛몰',
      policy: [
        '- 단순 변심에 의한 반품은 상품 수령 후 7일 이내에 신청할 수 있으며, 왕복 배송비 6,000원은 고객이 부담합니다.',
        '- 상품 불량이나 오배송인 경우 수령 후 30일 이내에 무료로 교환 또는 환불해 드립니다.',
        '- 환불은 반품 상품이 물류센터에 도착한 날로부터 영업일 기준 3일 이내에 결제 수단으로 처리됩니다.',
      ].join('\n'),
      question: '운동화를 샀는데 사이즈가 안 맞아요. 받은 지 5일 됐는데 반품하면 배송비는 어떻게 되나요?',
    },
  },
  {
    id: 'customer-service-answer-en',
    task: 'qa',
    language: 'en',
    title: 'Customer service answer',
    description:
      'Answers a customer politely from the company’s policy text, and hands over to an agent when the policy does not cover the question.',
    use_case: 'First-draft replies to chat and e-mail enquiries in a contact centre',
    template: {
      mode: 'chat',
      system: [
        'You are a customer service agent for {{company}}.',
        'Answer only from the policy below. If the policy does not cover the question, do not guess: say "An agent will check this and get back to you shortly."',
        'Acknowledge the customer’s situation first, give the solution step by step, and close by asking whether there is anything else you can help with.',
        'Write at most five sentences, politely.',
        '',
        '[Policy]',
        '{{policy}}',
      ].join('\n'),
      messages: [{ role: 'user', content: '{{question}}' }],
      variables: [
        { name: 'company', type: 'string', description: 'Company or service name' },
        { name: 'policy', type: 'string', description: 'The policy or terms the answer must rest on' },
        { name: 'question', type: 'string', description: 'The customer’s question' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 300 },
    },
    example_variables: {
      company: 'Northwind Store',
      policy: [
        '- Change-of-mind returns are accepted within 7 days of delivery; the customer pays the return shipping of $6.',
        '- Faulty or wrongly shipped items can be exchanged or refunded free of charge within 30 days of delivery.',
        '- Refunds are issued to the original payment method within 3 business days of the return reaching our warehouse.',
      ].join('\n'),
      question:
        'I bought running shoes but they do not fit. I got them five days ago — who pays for shipping if I send them back?',
    },
  },
];
