/**
 * @module prompts/samples/summarize
 * Summarisation sample: turning meeting minutes into decisions, action items (owner and due
 * date) and open questions. Chat mode; typed variables show a number (how many points) and a
 * string with a default (who the summary is for).
 */
import type { PromptSample } from '../../api/prompts.js';

export const summarizeSamples: PromptSample[] = [
  {
    id: 'meeting-minutes-summary-ko',
    task: 'summarize',
    language: 'ko',
    title: '회의록 요약',
    description: '회의록을 결정 사항, 실행 항목(담당자·기한), 미결 사항으로 정리합니다.',
    use_case: '주간 회의·프로젝트 점검 회의 후 참석자와 관계자에게 공유할 요약 작성',
    template: {
      mode: 'chat',
      system: [
        '당신은 회의 내용을 정확하고 간결하게 정리하는 비서입니다.',
        '회의록에 없는 내용을 지어내지 말고, 담당자나 기한이 정해지지 않았으면 "미정"으로 적으세요.',
        '존댓말을 쓰되 문장은 짧게, 항목은 글머리표로 정리하세요.',
      ].join('\n'),
      messages: [
        {
          role: 'user',
          content: [
            '다음 회의록을 {{audience}}으로 요약해 주세요.',
            '',
            '형식:',
            '## 결정 사항',
            '## 실행 항목 (담당자 / 기한)',
            '## 미결 사항',
            '',
            '각 부분은 최대 {{max_points}}개 항목으로 작성하세요.',
            '',
            '회의록:',
            '{{minutes}}',
          ].join('\n'),
        },
      ],
      variables: [
        { name: 'minutes', type: 'string', description: '회의록 원문 또는 녹취 정리본' },
        {
          name: 'audience',
          type: 'string',
          default: '팀 공유용',
          description: '요약을 읽을 대상(예: 임원 보고용, 팀 공유용)',
        },
        { name: 'max_points', type: 'integer', default: 5, description: '부분별 최대 항목 수' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 500, repetition_penalty: 1.05 },
    },
    example_variables: {
      minutes: [
        '일시: 3월 12일(화) 10:00~11:00 / 참석: 김민준 팀장, 이서연, 박지훈, 최유진',
        '김민준: 신규 모바일 앱 출시일을 4월 15일에서 4월 29일로 미루는 것으로 하겠습니다. 결제 모듈 보안 점검이 아직 끝나지 않았습니다.',
        '이서연: 보안 점검 업체와는 3월 22일까지 결과를 받기로 했습니다. 제가 계속 챙기겠습니다.',
        '박지훈: 출시 일정이 바뀌면 마케팅 캠페인 일정도 조정해야 합니다. 광고 대행사에 이번 주 금요일까지 알리겠습니다.',
        '최유진: 베타 테스터 모집 인원을 200명에서 500명으로 늘리자는 의견이 있었는데, 예산 승인이 필요합니다.',
        '김민준: 베타 인원 확대는 재무팀 검토 후 다음 회의에서 결정하겠습니다.',
      ].join('\n'),
    },
  },
  {
    id: 'meeting-minutes-summary-en',
    task: 'summarize',
    language: 'en',
    title: 'Meeting minutes summary',
    description: 'Summarises minutes into decisions, action items (owner and due date) and open questions.',
    use_case: 'Sharing the outcome of a weekly or project review meeting with attendees and stakeholders',
    template: {
      mode: 'chat',
      system: [
        'You are an assistant who summarises meetings accurately and concisely.',
        'Never add anything that is not in the minutes; when an owner or due date was not agreed, write "TBD".',
        'Use short sentences and bullet points.',
      ].join('\n'),
      messages: [
        {
          role: 'user',
          content: [
            'Summarise these minutes {{audience}}.',
            '',
            'Format:',
            '## Decisions',
            '## Action items (owner / due date)',
            '## Open questions',
            '',
            'Use at most {{max_points}} bullet points per section.',
            '',
            'Minutes:',
            '{{minutes}}',
          ].join('\n'),
        },
      ],
      variables: [
        { name: 'minutes', type: 'string', description: 'The minutes or a cleaned-up transcript' },
        {
          name: 'audience',
          type: 'string',
          default: 'for the team',
          description: 'Who reads it, e.g. "for the executive team"',
        },
        { name: 'max_points', type: 'integer', default: 5, description: 'Most bullet points per section' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 500, repetition_penalty: 1.05 },
    },
    example_variables: {
      minutes: [
        'Date: Tue 12 March, 10:00–11:00. Present: Sarah Kim (lead), Tom Reed, Priya Shah, Alex Moreno.',
        'Sarah: We will move the mobile app launch from 15 April to 29 April; the payment module security review is not finished.',
        'Tom: The security vendor committed to results by 22 March. I will keep chasing them.',
        'Priya: The marketing campaign has to move with the launch. I will tell the agency by Friday.',
        'Alex: There was a proposal to grow the beta group from 200 to 500 testers, but it needs budget approval.',
        'Sarah: We will decide on the larger beta at the next meeting, after finance has reviewed it.',
      ].join('\n'),
    },
  },
];
