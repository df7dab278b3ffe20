/**
 * @module prompts/samples/rag
 * Retrieval-augmented answering sample: answer an employee's question only from retrieved
 * passages, cite them as [1], [2], and say so when they do not hold the answer. The passages
 * variable takes what RAG retrieval returns, numbered.
 */
import type { PromptSample } from '../../api/prompts.js';

export const ragSamples: PromptSample[] = [
  {
    id: 'rag-answer-ko',
    task: 'rag',
    language: 'ko',
    title: '문서 근거 답변 (RAG)',
    description:
      '검색된 사내 문서 단락만 근거로 답하고 [1], [2]처럼 출처를 표시합니다. 근거가 없으면 모른다고 답합니다.',
    use_case: '사내 규정·업무 매뉴얼 검색 챗봇의 답변 생성',
    template: {
      mode: 'freeform',
      text: [
        '아래 참고 문서만을 근거로 질문에 답하세요.',
        '- 답변의 각 문장 끝에 근거가 된 문서 번호를 [1], [2]처럼 표시하세요.',
        '- 참고 문서로 답할 수 없으면 "제공된 문서에서는 답을 찾을 수 없습니다."라고만 답하세요.',
        '- 문서에 없는 내용을 덧붙이지 말고, 세 문장 이내로 답하세요.',
        '',
        '참고 문서:',
        '{{passages}}',
        '',
        '질문: {{question}}',
        '답변:',
      ].join('\n'),
      variables: [
        {
          name: 'passages',
          type: 'string',
          description: '검색된 단락. 한 단락에 한 줄씩 [번호]를 붙여 나열',
        },
        { name: 'question', type: 'string', description: '사용자 질문' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 250, stop_sequences: ['질문:'] },
    },
    example_variables: {
      passages: [
        '[1] 취업규칙 제24조: 사용하지 못한 연차 휴가는 다음 해 3월 31일까지 최대 5일을 이월하여 사용할 수 있다.',
        '[2] 연차 사용 촉진 지침: 회사는 매년 7월과 10월에 미사용 연차 현황을 통보하며, 직원은 통보일로부터 10일 이내에 사용 계획을 제출한다.',
        '[3] 복리후생 안내: 근속 5년마다 5일의 장기근속 휴가가 부여되며 이월되지 않는다.',
      ].join('\n'),
      question: '올해 못 쓴 연차는 내년에 쓸 수 있나요?',
    },
  },
  {
    id: 'rag-answer-en',
    task: 'rag',
    language: 'en',
    title: 'Grounded answer (RAG)',
    description:
      'Answers only from retrieved passages, citing them as [1], [2]; says it does not know when they do not hold the answer.',
    use_case: 'Answers for an internal policy and handbook search assistant',
    template: {
      mode: 'freeform',
      text: [
        'Answer the question using only the passages below.',
        '- End each sentence with the number of the passage that supports it, like [1] or [2].',
        '- If the passages do not answer the question, reply only: "The provided documents do not answer this question."',
        '- Add nothing that is not in the passages; answer in at most three sentences.',
        '',
        'Passages:',
        '{{passages}}',
        '',
        'Question: {{question}}',
        'Answer:',
      ].join('\n'),
      variables: [
        {
          name: 'passages',
          type: 'string',
          description: 'Retrieved passages, one per line, each starting with [number]',
        },
        { name: 'question', type: 'string', description: 'The user’s question' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 250, stop_sequences: ['Question:'] },
    },
    example_variables: {
      passages: [
        '[1] Employee Handbook §24: Up to five unused days of annual leave may be carried over and must be taken by 31 March of the following year.',
        '[2] Leave planning guideline: HR reports unused leave in July and October; employees submit a leave plan within 10 days of the report.',
        '[3] Benefits guide: Every five years of service grants five days of long-service leave, which cannot be carried over.',
      ].join('\n'),
      question: 'Can I use the annual leave I did not take this year next year?',
    },
  },
];
