import { describe, expect, it } from 'vitest';
import { ibanValid, krBrnValid, krRrnChecksumValid, luhnValid, usSsnValid } from './checksums.js';
import { createPiiDetector } from './pii-detector.js';

const pii = createPiiDetector();
const found = (text: string) =>
  pii.detect(text, { includeText: true }) as {
    type: string;
    text?: string;
    score: number;
    reasons?: string[];
  }[];
const top = (text: string) => found(text).map((span) => [span.type, span.text]);

describe('checksums', () => {
  it('validates Luhn, mod 97, the resident number check digit, business numbers and SSN rules', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(krRrnChecksumValid('9001011234568')).toBe(true);
    expect(krRrnChecksumValid('9001011234567')).toBe(false);
    expect(krBrnValid('2208162517')).toBe(true);
    expect(krBrnValid('2208162518')).toBe(false);
    expect(usSsnValid('536221234')).toBe(true);
    expect(usSsnValid('000221234')).toBe(false);
    expect(usSsnValid('666221234')).toBe(false);
  });
});

describe('PII detector', () => {
  it.each([
    ['Contact me at jane.doe@example.com please', 'EMAIL_ADDRESS', 'jane.doe@example.com'],
    ['card 4111 1111 1111 1111 exp 12/29', 'CREDIT_CARD', '4111 1111 1111 1111'],
    ['IBAN DE89 3704 0044 0532 0130 00', 'IBAN_CODE', 'DE89 3704 0044 0532 0130 00'],
    ['my ssn is 536-22-1234', 'US_SSN', '536-22-1234'],
    ['연락처 010-1234-5678 로 주세요', 'PHONE_NUMBER', '010-1234-5678'],
    ['국제전화 +82 10-1234-5678', 'PHONE_NUMBER', '+82 10-1234-5678'],
    ['대표번호 02-123-4567', 'PHONE_NUMBER', '02-123-4567'],
    ['call (212) 555-0199 today', 'PHONE_NUMBER', '(212) 555-0199'],
    ['외국인등록번호 900101-5234561', 'KR_FRN', '900101-5234561'],
    ['사업자등록번호 220-81-62517', 'KR_BRN', '220-81-62517'],
    ['운전면허 11-12-345678-90', 'KR_DRIVER_LICENSE', '11-12-345678-90'],
    ['여권번호 M123A4567', 'KR_PASSPORT', 'M123A4567'],
    ['신한은행 계좌 110-123-456789 로 입금', 'KR_BANK_ACCOUNT', '110-123-456789'],
    ['server 192.168.0.1 is down', 'IP_ADDRESS', '192.168.0.1'],
    ['see https://example.com/a?b=1 for details', 'URL', 'https://example.com/a?b=1'],
    ['생년월일 1990년 1월 15일', 'DATE_OF_BIRTH', '1990년 1월 15일'],
    ['김민수 고객님 안녕하세요', 'PERSON', '김민수'],
  ])('finds %s', (text, type, value) => {
    expect(top(text)).toContainEqual([type, value]);
  });

  it('scores a resident registration number higher with a valid check digit, but still finds one without', () => {
    const valid = found('주민등록번호 900101-1234568')[0]!;
    const post2020 = found('주민번호 021015-3123456')[0]!;
    expect(valid.type).toBe('KR_RRN');
    expect(post2020.type).toBe('KR_RRN');
    expect(valid.score).toBeGreaterThan(post2020.score);
    expect(post2020.score).toBeGreaterThanOrEqual(0.5);
  });

  it('raises scores with context words in both languages', () => {
    const bare = found('M123A4567')[0]!;
    const english = found('my passport number is M123A4567')[0]!;
    const korean = found('여권번호는 M123A4567 입니다')[0]!;
    expect(english.score).toBeGreaterThan(bare.score);
    expect(korean.score).toBeGreaterThan(bare.score);
    expect(korean.reasons).toContain('context');
  });

  it('does not report numbers that fail their checksum or shape', () => {
    const strong = (text: string) => found(text).filter((span) => span.score >= 0.5);
    expect(strong('card 4111 1111 1111 1112')).toEqual([]);
    expect(strong('IBAN DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(strong('order 12345678 shipped')).toEqual([]);
  });

  it('sees through zero-width characters and maps offsets back to the original text', () => {
    const text = 'mail j\u200ba\u200bn\u200be@example.com now';
    const [span] = found(text);
    expect(span!.type).toBe('EMAIL_ADDRESS');
    expect(span!.text).toBe('j\u200ba\u200bn\u200be@example.com');
  });

  it('handles empty text, lone surrogates and megabytes', () => {
    expect(pii.detect('')).toEqual([]);
    expect(top('\ud800abc x@y.com')).toEqual([['EMAIL_ADDRESS', 'x@y.com']]);
    const big = `${'평범한 문장입니다. Nothing here. '.repeat(40_000)}kim@example.com`;
    expect(top(big)).toEqual([['EMAIL_ADDRESS', 'kim@example.com']]);
  });

  // Recognizers run only around anchor words and digit clusters (./anchors, numberWindows): these
  // put values where a window edge or a missed anchor would change the result.
  it('finds values next to window edges as a scan of the whole text would', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(3);
    // A long number 40 characters before a phone number: one merged window, both numbers seen.
    expect(top(`주문 12345678901234 ${filler.slice(0, 30)} 연락처 010-1234-5678`)).toContainEqual([
      'PHONE_NUMBER',
      '010-1234-5678',
    ]);
    // An IBAN with letters between its digit groups: the window reaches its country code and tail.
    expect(top(`${filler}IBAN GB82 WEST 1234 5698 7654 32 ${filler}`)).toContainEqual([
      'IBAN_CODE',
      'GB82 WEST 1234 5698 7654 32',
    ]);
    // Word pairs chain: "Old New" pairs first, then "John Smith" — as one pass over the text does.
    expect(top('We met Old New John Smith yesterday.')).toContainEqual(['PERSON', 'John Smith']);
    expect(top('We met Old John Smith yesterday.')).not.toContainEqual(['PERSON', 'John Smith']);
    // A birth word 39 characters before the date counts; 45 characters before, it does not.
    expect(top(`born ${'x'.repeat(34)} 1990-01-01`)).toContainEqual(['DATE_OF_BIRTH', '1990-01-01']);
    expect(top(`born ${'x'.repeat(40)} 1990-01-01`)).not.toContainEqual(['DATE_OF_BIRTH', '1990-01-01']);
    expect(top('BORN: 1990-01-01, 생년월일 900101생')).toEqual(
      expect.arrayContaining([
        ['DATE_OF_BIRTH', '1990-01-01'],
        ['DATE_OF_BIRTH', '900101'],
      ]),
    );
    // Honorifics after a space or attached, titles and labels; "고객님" is no name.
    expect(top('김민지 씨와 박서준님, 담당자 이영희')).toEqual(
      expect.arrayContaining([
        ['PERSON', '김민지'],
        ['PERSON', '박서준'],
        ['PERSON', '이영희'],
      ]),
    );
    expect(top('고객님 안녕하세요').filter(([type]) => type === 'PERSON')).toEqual([]);
    // Domains and addresses inside long tokens and next to punctuation.
    expect(top('see https://a.example.com/x?y=1, or docs.example.org.')).toEqual(
      expect.arrayContaining([
        ['URL', 'https://a.example.com/x?y=1'],
        ['URL', 'docs.example.org'],
      ]),
    );
    expect(top('hosts 10.0.0.1; fe80::1%eth0 and 2001:db8::8a2e:370:7334.')).toEqual(
      expect.arrayContaining([
        ['IP_ADDRESS', '10.0.0.1'],
        ['IP_ADDRESS', 'fe80::1%eth0'],
        ['IP_ADDRESS', '2001:db8::8a2e:370:7334'],
      ]),
    );
  });
});
