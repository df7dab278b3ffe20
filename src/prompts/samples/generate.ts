/**
 * @module prompts/samples/generate
 * Generation samples: a job posting written from a hiring manager's notes, and a marketing
 * e-mail for a promotion. Both keep the facts in variables so the model writes the prose and
 * nothing else; the e-mail shows sampling parameters (varied wording, fixed seed for review).
 */
import type { PromptSample } from '../../api/prompts.js';

export const generateSamples: PromptSample[] = [
  {
    id: 'job-description-ko',
    task: 'generate',
    language: 'ko',
    title: '채용 공고 작성',
    description: '채용 담당자의 메모(직무, 팀, 주요 업무, 자격 요건)로 채용 공고 초안을 작성합니다.',
    use_case: '인사팀의 채용 공고 초안 작성과 직무 기술서 표준화',
    template: {
      mode: 'freeform',
      text: [
        '당신은 기업 인사팀의 채용 담당자입니다. 아래 정보로 채용 공고를 작성하세요.',
        '',
        '- 직무: {{job_title}}',
        '- 소속 팀: {{team}}',
        '- 근무지: {{location}}',
        '- 고용 형태: {{employment_type}}',
        '- 주요 업무 메모: {{responsibilities}}',
        '- 자격 요건 메모: {{requirements}}',
        '',
        '작성 지침:',
        '1. "팀 소개", "주요 업무", "자격 요건", "우대 사항", "근무 조건" 순서로 작성하세요.',
        '2. 메모에 없는 급여, 복리후생, 회사 정보는 지어내지 마세요.',
        '3. 성별, 나이, 출신 지역 등 차별 소지가 있는 표현은 쓰지 마세요.',
        '4. 지원자가 읽기 쉽도록 항목마다 글머리표를 사용하세요.',
        '',
        '채용 공고:',
      ].join('\n'),
      variables: [
        { name: 'job_title', type: 'string', description: '모집 직무명' },
        { name: 'team', type: 'string', description: '소속 팀과 하는 일' },
        { name: 'location', type: 'string', default: '서울 본사', description: '근무지' },
        { name: 'employment_type', type: 'string', default: '정규직', description: '고용 형태' },
        { name: 'responsibilities', type: 'string', description: '주요 업무에 관한 메모' },
        { name: 'requirements', type: 'string', description: '필수·우대 자격 요건 메모' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 700 },
    },
    example_variables: {
      job_title: '데이터 엔지니어',
      team: '데이터플랫폼팀 — 전사 데이터 파이프라인과 분석 환경을 운영',
      responsibilities:
        '주문·물류 데이터 수집 파이프라인 구축, 데이터 품질 모니터링, 분석가용 데이터 마트 설계',
      requirements: '파이썬·SQL 3년 이상, Spark 또는 Airflow 경험 필수, 클라우드(AWS·GCP) 운영 경험 우대',
    },
  },
  {
    id: 'job-description-en',
    task: 'generate',
    language: 'en',
    title: 'Job description',
    description:
      'Writes a job posting from a hiring manager’s notes (role, team, responsibilities, requirements).',
    use_case: 'Drafting job postings in HR and keeping role descriptions consistent',
    template: {
      mode: 'freeform',
      text: [
        'You are a recruiter in a corporate HR team. Write a job posting from the information below.',
        '',
        '- Role: {{job_title}}',
        '- Team: {{team}}',
        '- Location: {{location}}',
        '- Employment type: {{employment_type}}',
        '- Responsibilities (notes): {{responsibilities}}',
        '- Requirements (notes): {{requirements}}',
        '',
        'Guidelines:',
        '1. Use these sections in order: "About the team", "What you will do", "What you bring", "Nice to have", "Working here".',
        '2. Do not invent salary, benefits or company facts that are not in the notes.',
        '3. Use inclusive language; nothing about gender, age or origin.',
        '4. Use bullet points so candidates can scan it.',
        '',
        'Job posting:',
      ].join('\n'),
      variables: [
        { name: 'job_title', type: 'string', description: 'The role' },
        { name: 'team', type: 'string', description: 'The team and what it does' },
        {
          name: 'location',
          type: 'string',
          default: 'London office (hybrid)',
          description: 'Where the role is based',
        },
        {
          name: 'employment_type',
          type: 'string',
          default: 'Full-time, permanent',
          description: 'Employment type',
        },
        { name: 'responsibilities', type: 'string', description: 'Notes on the responsibilities' },
        { name: 'requirements', type: 'string', description: 'Notes on required and preferred skills' },
      ],
      parameters: { decoding_method: 'greedy', max_new_tokens: 700 },
    },
    example_variables: {
      job_title: 'Data Engineer',
      team: 'Data Platform — runs the company-wide data pipelines and analytics environment',
      responsibilities:
        'build ingestion pipelines for order and logistics data, monitor data quality, design data marts for analysts',
      requirements:
        '3+ years of Python and SQL, Spark or Airflow required, cloud operations (AWS or GCP) a plus',
    },
  },
  {
    id: 'marketing-email-ko',
    task: 'generate',
    language: 'ko',
    title: '마케팅 이메일 작성',
    description: '제품, 대상 고객, 혜택, 기한으로 프로모션 이메일의 제목과 본문을 작성합니다.',
    use_case: '마케팅팀의 시즌 프로모션·신제품 안내 메일 초안 작성',
    template: {
      mode: 'chat',
      system: [
        '당신은 B2C 브랜드의 카피라이터입니다.',
        '과장 광고나 사실과 다른 표현("최저가 보장", "100% 효과" 등)은 쓰지 않습니다.',
        '정보통신망법에 따라 제목 맨 앞에 "(광고)"를 붙이고, 본문 끝에 수신 거부 방법을 안내합니다.',
      ].join('\n'),
      messages: [
        {
          role: 'user',
          content: [
            '다음 정보로 마케팅 이메일을 작성해 주세요.',
            '- 제품: {{product}}',
            '- 대상 고객: {{audience}}',
            '- 혜택: {{offer}}',
            '- 혜택 기한: {{deadline}}',
            '- 어조: {{tone}}',
            '',
            '"제목:" 한 줄(30자 이내)과 "본문:"(200자 내외)으로 나누어 쓰고, 본문 끝에 행동을 유도하는 문장을 한 줄 넣어 주세요.',
          ].join('\n'),
        },
      ],
      variables: [
        { name: 'product', type: 'string', description: '알릴 제품이나 서비스' },
        { name: 'audience', type: 'string', description: '받는 고객층' },
        { name: 'offer', type: 'string', description: '할인·사은품 등 혜택' },
        { name: 'deadline', type: 'string', description: '혜택 종료일' },
        { name: 'tone', type: 'string', default: '친근하지만 신뢰감 있는', description: '문체와 분위기' },
      ],
      parameters: {
        decoding_method: 'sample',
        temperature: 0.8,
        top_p: 0.9,
        random_seed: 42,
        max_new_tokens: 400,
      },
    },
    example_variables: {
      product: '휴대용 무선 청소기 에어클린 S2',
      audience: '최근 1년 안에 생활가전을 구매한 30~40대 회원',
      offer: '회원가에서 15% 추가 할인과 교체용 필터 1개 증정',
      deadline: '5월 31일',
    },
  },
  {
    id: 'marketing-email-en',
    task: 'generate',
    language: 'en',
    title: 'Marketing e-mail',
    description:
      'Writes the subject line and body of a promotional e-mail from the product, audience, offer and deadline.',
    use_case: 'Drafting seasonal promotions and product announcements in a marketing team',
    template: {
      mode: 'chat',
      system: [
        'You are a copywriter for a consumer brand.',
        'Never make claims that cannot be substantiated ("guaranteed lowest price", "100% effective").',
        'Always end with a one-line unsubscribe notice.',
      ].join('\n'),
      messages: [
        {
          role: 'user',
          content: [
            'Write a marketing e-mail from this brief:',
            '- Product: {{product}}',
            '- Audience: {{audience}}',
            '- Offer: {{offer}}',
            '- Offer ends: {{deadline}}',
            '- Tone: {{tone}}',
            '',
            'Give a "Subject:" line (at most 60 characters) and a "Body:" of about 120 words, ending with one clear call to action.',
          ].join('\n'),
        },
      ],
      variables: [
        { name: 'product', type: 'string', description: 'The product or service to promote' },
        { name: 'audience', type: 'string', description: 'Who receives the e-mail' },
        { name: 'offer', type: 'string', description: 'The discount or gift' },
        { name: 'deadline', type: 'string', description: 'When the offer ends' },
        { name: 'tone', type: 'string', default: 'warm and trustworthy', description: 'Voice and mood' },
      ],
      parameters: {
        decoding_method: 'sample',
        temperature: 0.8,
        top_p: 0.9,
        random_seed: 42,
        max_new_tokens: 400,
      },
    },
    example_variables: {
      product: 'AirClean S2 cordless handheld vacuum',
      audience: 'members aged 30–45 who bought a home appliance in the last year',
      offer: 'an extra 15% off the member price and a free replacement filter',
      deadline: '31 May',
    },
  },
];
