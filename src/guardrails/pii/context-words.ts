/**
 * @module guardrails/pii/context-words
 * Words that, near a candidate, make it more likely to be what its pattern suggests — in Korean
 * and English. As in Presidio's context enhancer, a nearby context word adds 0.35 to the score
 * and lifts it to at least 0.4.
 */
export const contextWords: Readonly<Record<string, readonly string[]>> = {
  CREDIT_CARD: [
    'credit',
    'card',
    'visa',
    'mastercard',
    'amex',
    'debit',
    '카드',
    '신용카드',
    '체크카드',
    '결제',
  ],
  PHONE_NUMBER: [
    'phone',
    'number',
    'registered',
    'tel',
    'mobile',
    'cell',
    'call',
    'fax',
    'contact',
    'desk',
    'office',
    'whatsapp',
    'messages to',
    'answering at',
    'reach me',
    '전화',
    '휴대폰',
    '핸드폰',
    '연락처',
    '연락',
    '문자',
    '팩스',
    '내선',
  ],
  EMAIL_ADDRESS: ['email', 'e-mail', 'mail', '이메일', '메일'],
  IBAN_CODE: ['iban', 'bank', 'account', 'transfer', '계좌', '송금'],
  US_SSN: ['ssn', 'social security', 'social sec'],
  KR_RRN: ['주민등록번호', '주민번호', '주민 번호', 'rrn', 'resident registration'],
  KR_FRN: ['외국인등록번호', '외국인 등록', 'frn', 'alien registration', 'foreigner registration'],
  KR_BRN: ['사업자', '사업자등록번호', 'brn', 'business registration'],
  KR_PASSPORT: ['passport', '여권'],
  KR_DRIVER_LICENSE: ['운전면허', '면허번호', '면허증', 'driver', 'licence', 'license'],
  KR_BANK_ACCOUNT: [
    '계좌',
    '입금',
    '송금',
    '이체',
    '은행',
    '국민',
    '신한',
    '우리',
    '하나',
    '농협',
    '기업',
    '카카오뱅크',
    '토스',
    '케이뱅크',
    '예금주',
    'account',
    'bank',
  ],
  IP_ADDRESS: ['ip', 'address', 'server', 'host', '아이피', '서버'],
  URL: ['url', 'website', 'link', 'site', '링크', '사이트', '홈페이지'],
  PERSON: ['name', 'called', '이름', '성명', '성함', '고객'],
  STREET_ADDRESS: [
    'address',
    'lives at',
    'live at',
    'located at',
    'ship to',
    'deliver',
    '주소',
    '배송지',
    '거주',
    '사는 곳',
  ],
  LOCATION: [
    'address',
    'live in',
    'lives in',
    'living in',
    'from',
    'located in',
    'born in',
    '주소',
    '거주',
    '살고',
    '사는',
    '출신',
  ],
  ORGANIZATION: [
    'company',
    'work at',
    'works at',
    'works for',
    'employer',
    'employed',
    '회사',
    '직장',
    '재직',
    '근무',
  ],
  DATE_OF_BIRTH: [],
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One pattern per type: any of its words. */
const contextPatterns = new Map(
  Object.entries(contextWords)
    .filter(([, words]) => words.length > 0)
    .map(([type, words]) => [type, new RegExp(words.map(escapeRegExp).join('|'))]),
);

const before = 50;
const after = 25;

/** The score after looking at the words around the span; `reasons` gains `context` when raised. */
export function withContext(
  text: string,
  type: string,
  start: number,
  end: number,
  score: number,
): { score: number; raised: boolean } {
  const pattern = contextPatterns.get(type);
  if (!pattern) return { score, raised: false };
  // A number labelled as something else ("주문번호 0248093950", "order no. …") is that thing.
  if (numericTypes.has(type)) {
    const label = text.slice(Math.max(0, start - 24), start).toLowerCase();
    if (otherNumberLabels.some((word) => label.includes(word)))
      return { score: Math.max(0, Math.min(score - 0.35, 0.4)), raised: false };
  }
  if (score >= 1) return { score, raised: false };
  // Before and after apart: no context word spans the candidate.
  const preceding = text.slice(Math.max(0, start - before), start).toLowerCase();
  const following = text.slice(end, end + after).toLowerCase();
  if (pattern.test(preceding) || pattern.test(following))
    return { score: Math.min(1, Math.max(score + 0.35, 0.4)), raised: true };
  return { score, raised: false };
}

const numericTypes = new Set(['PHONE_NUMBER', 'KR_BRN', 'KR_BANK_ACCOUNT', 'US_SSN']);
const otherNumberLabels = [
  '주문번호',
  '주문 번호',
  '송장',
  '운송장',
  '문서 번호',
  '문서번호',
  '접수번호',
  '예약번호',
  '모델',
  '버전',
  'order',
  'invoice',
  'tracking',
  'serial',
  'ticket',
  'version',
  'model',
  'license',
  'licence',
  '면허',
];
