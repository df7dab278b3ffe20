/**
 * @module bench/guardrails/korean-pii-set
 * A synthetic Korean PII sentence set, since no public one exists: templates from everyday
 * Korean business text (customer service, HR, contracts, banking) filled with generated values
 * whose spans are known. Seeded, so every run scores the same sentences. Values are made up;
 * checksummed ones are computed so both valid and post-2020 (unchecked) resident numbers appear.
 */
import { random } from '../rag/metrics.js';

export interface GoldSpan {
  type: string;
  start: number;
  end: number;
}
export interface LabelledSentence {
  text: string;
  spans: GoldSpan[];
}

type Pick = <T>(items: readonly T[]) => T;

const surnames = [
  '김',
  '이',
  '박',
  '최',
  '정',
  '강',
  '조',
  '윤',
  '장',
  '임',
  '한',
  '오',
  '서',
  '신',
  '권',
  '황',
];
const givenNames = [
  '민수',
  '서연',
  '지훈',
  '하은',
  '도윤',
  '수아',
  '예준',
  '지우',
  '현우',
  '서윤',
  '준호',
  '민지',
  '영희',
  '철수',
  '은지',
  '태현',
];
const banks = ['국민은행', '신한은행', '우리은행', '하나은행', '농협', '기업은행', '카카오뱅크', '토스뱅크'];
const domains = ['naver.com', 'gmail.com', 'daum.net', 'kakao.com', 'example.co.kr', 'company.kr'];

function digits(next: () => number, count: number): string {
  let out = '';
  for (let index = 0; index < count; index++) out += Math.floor(next() * 10);
  return out;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Birth date digits (YYMMDD) and the gender digit for the century. */
function birth(next: () => number): { yymmdd: string; gender: string; foreign: string } {
  const year = 1950 + Math.floor(next() * 70);
  const month = 1 + Math.floor(next() * 12);
  const day = 1 + Math.floor(next() * 28);
  const male = next() < 0.5;
  const gender = year >= 2000 ? (male ? '3' : '4') : male ? '1' : '2';
  const foreign = year >= 2000 ? (male ? '7' : '8') : male ? '5' : '6';
  return { yymmdd: `${pad(year % 100)}${pad(month)}${pad(day)}`, gender, foreign };
}

function rrnCheck(first12: string, modulus: (sum: number) => number): string {
  const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(first12[index]), 0);
  return String(modulus(sum));
}

function brn(next: () => number): string {
  const body = digits(next, 9);
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = weights.reduce((total, weight, index) => total + weight * Number(body[index]), 0);
  sum += Math.floor((Number(body[8]) * 5) / 10);
  const check = (10 - (sum % 10)) % 10;
  const all = body + check;
  return `${all.slice(0, 3)}-${all.slice(3, 5)}-${all.slice(5)}`;
}

function luhnComplete(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return body + ((10 - (sum % 10)) % 10);
}

const values: Record<string, (next: () => number, pick: Pick) => string> = {
  PERSON: (_next, pick) => pick(surnames) + pick(givenNames),
  KR_RRN: (next) => {
    const { yymmdd, gender } = birth(next);
    const first = yymmdd + gender + digits(next, 5);
    // About a third are numbers issued since October 2020, with no valid check digit.
    const check = next() < 0.33 ? digits(next, 1) : rrnCheck(first, (sum) => (11 - (sum % 11)) % 10);
    return `${yymmdd}-${first.slice(6)}${check}`;
  },
  KR_FRN: (next) => {
    const { yymmdd, foreign } = birth(next);
    const first = yymmdd + foreign + digits(next, 5);
    return `${yymmdd}-${first.slice(6)}${rrnCheck(first, (sum) => (13 - (sum % 11)) % 10)}`;
  },
  KR_BRN: (next) => brn(next),
  PHONE_MOBILE: (next, pick) =>
    `${pick(['010', '010', '010', '011', '016'])}-${digits(next, 4)}-${digits(next, 4)}`,
  PHONE_LANDLINE: (next, pick) =>
    `${pick(['02', '031', '032', '051', '053', '062', '042', '064'])}-${digits(next, 3 + Math.floor(next() * 2))}-${digits(next, 4)}`,
  PHONE_INTL: (next) => `+82 10-${digits(next, 4)}-${digits(next, 4)}`,
  EMAIL_ADDRESS: (next, pick) =>
    `${pick(['minsu', 'seoyeon', 'jh.park', 'kim_hr', 'support', 'hana22'])}${digits(next, 2)}@${pick(domains)}`,
  CREDIT_CARD: (next, pick) => {
    const card = luhnComplete(
      pick(['4', '5', '9']) === '4'
        ? `4${digits(next, 14)}`
        : `5${1 + Math.floor(next() * 5)}${digits(next, 13)}`,
    );
    return card.match(/.{4}/g)!.join('-');
  },
  KR_BANK_ACCOUNT: (next, pick) =>
    pick([
      () => `${digits(next, 3)}-${digits(next, 3)}-${digits(next, 6)}`,
      () => `${digits(next, 6)}-${digits(next, 2)}-${digits(next, 6)}`,
      () => `${digits(next, 3)}-${digits(next, 6)}-${digits(next, 2)}-${digits(next, 3)}`,
    ])(),
  KR_PASSPORT: (next, pick) =>
    `${pick(['M', 'S', 'R'])}${digits(next, 3)}${pick(['A', 'B', 'C', 'D'])}${digits(next, 4)}`,
  KR_DRIVER_LICENSE: (next) =>
    `${pick2(next, ['11', '12', '13', '14', '28'])}-${digits(next, 2)}-${digits(next, 6)}-${digits(next, 2)}`,
  DATE_OF_BIRTH: (next) =>
    `${1950 + Math.floor(next() * 55)}년 ${1 + Math.floor(next() * 12)}월 ${1 + Math.floor(next() * 28)}일`,
  IP_ADDRESS: (next) =>
    `${10 + Math.floor(next() * 200)}.${Math.floor(next() * 255)}.${Math.floor(next() * 255)}.${1 + Math.floor(next() * 254)}`,
  BANK: (_next, pick) => pick(banks),
};

function pick2(next: () => number, items: readonly string[]): string {
  return items[Math.floor(next() * items.length)]!;
}

/** Slot names map to gold types; BANK is filler (not scored). */
const goldType: Record<string, string | undefined> = {
  PHONE_MOBILE: 'PHONE_NUMBER',
  PHONE_LANDLINE: 'PHONE_NUMBER',
  PHONE_INTL: 'PHONE_NUMBER',
  BANK: 'ORGANIZATION',
  ORDER: undefined,
};

const templates = [
  '{PERSON} 고객님의 주민등록번호는 {KR_RRN}입니다.',
  '본인 확인을 위해 주민번호 {KR_RRN}을 입력해 주세요.',
  '외국인등록번호 {KR_FRN}로 조회된 체류 기간이 만료되었습니다.',
  '거래처 사업자등록번호는 {KR_BRN}이며 세금계산서를 발행해 주세요.',
  '담당자 {PERSON} 님 연락처: {PHONE_MOBILE}',
  '문의는 대표번호 {PHONE_LANDLINE}로 부탁드립니다.',
  '해외에서는 {PHONE_INTL}로 연락 주세요.',
  '회신은 {EMAIL_ADDRESS}로 보내 주시기 바랍니다.',
  '결제하신 카드번호 {CREDIT_CARD}의 승인이 취소되었습니다.',
  '환불 계좌: {BANK} {KR_BANK_ACCOUNT} (예금주 {PERSON})',
  '{BANK} 계좌 {KR_BANK_ACCOUNT}로 입금 확인되었습니다.',
  '여권번호 {KR_PASSPORT}, 만료일은 다음 달입니다.',
  '운전면허번호 {KR_DRIVER_LICENSE}로 렌터카 예약을 진행합니다.',
  '신청인 {PERSON}, 생년월일 {DATE_OF_BIRTH}, 연락처 {PHONE_MOBILE}',
  '접속 IP {IP_ADDRESS}에서 비정상 로그인이 감지되었습니다.',
  '{PERSON} 대리에게 {EMAIL_ADDRESS}로 계약서를 전달했습니다.',
  '채용 지원자 {PERSON} 씨의 휴대폰 번호는 {PHONE_MOBILE}입니다.',
  '카드 {CREDIT_CARD} / 유효기간 12/28 / 소유자 {PERSON}',
];

/** Sentences with no personal data that look numeric or name-like (the false-positive side). */
const negatives = [
  '주문번호 {ORDER}의 배송이 시작되었습니다.',
  '회의는 2024년 3월 15일 오후 2시에 3층 회의실에서 열립니다.',
  '이번 분기 매출은 1,234,567,890원으로 전년 대비 12.5% 증가했습니다.',
  '제품 모델명 SM-G991N 펌웨어 버전 1.2.3을 설치하세요.',
  '서울 지하철 2호선은 평일 오전 5시 30분부터 운행합니다.',
  '총 금액은 45,000원이며 부가세 4,500원이 포함되어 있습니다.',
  '고객센터 운영 시간은 평일 09:00-18:00입니다.',
  '문서 번호 2023-045-0012에 따라 처리되었습니다.',
  '좌석은 12열 34번입니다.',
  '이 약관은 2025년 1월 1일부터 시행합니다.',
];

export function koreanPiiSet(count = 2000, seed = 20261128): LabelledSentence[] {
  const next = random(seed);
  const pick: Pick = (items) => items[Math.floor(next() * items.length)]!;
  const sentences: LabelledSentence[] = [];
  for (let index = 0; index < count; index++) {
    const negative = index % 5 === 4;
    const template = negative ? pick(negatives) : pick(templates);
    let text = '';
    const spans: GoldSpan[] = [];
    let last = 0;
    for (const match of template.matchAll(/\{([A-Z_]+)\}/g)) {
      text += template.slice(last, match.index);
      last = match.index + match[0].length;
      const slot = match[1]!;
      const value = slot === 'ORDER' ? `${digits(next, 4)}${digits(next, 6)}` : values[slot]!(next, pick);
      const type = slot in goldType ? goldType[slot] : slot;
      if (type) spans.push({ type, start: text.length, end: text.length + value.length });
      text += value;
    }
    text += template.slice(last);
    sentences.push({ text, spans });
  }
  return sentences;
}
