/**
 * @module test/fuzz/support/hostile-values
 * The values the fuzzer throws at the API: wrong types, extreme numbers and dates, hostile path
 * segments, and the seeded secrets and personal data that must never reach the log.
 */

/** Secrets and personal data the fuzzer plants in requests; the log must hold none of them. */
export const seeds = {
  /** A Korean resident registration number (a checksum-valid, made-up one). */
  rrn: '900101-1234568',
  email: 'fuzz.seed.person@example.com',
  /** Looks like a Keel key; the real secrets of the world's keys are checked as well. */
  apiKey: 'keel_fuzzseed_0123456789abcdefghijklmnop',
  password: 'fuzz seed password 1234',
};

export const seedValues = Object.values(seeds);

/** Strings that stand in for a field's value: planted seeds among them. */
export const hostileStrings: string[] = [
  '',
  ' ',
  '\u0000',
  `a\u0000b ${seeds.rrn}`,
  `주민등록번호 ${seeds.rrn}, 메일 ${seeds.email}`,
  `my key is ${seeds.apiKey}`,
  seeds.password,
  '\uFEFF\u202E\u200B',
  '\uD800',
  '\uDFFF\uD800',
  '한국어 텍스트 🚀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '{{'.repeat(200),
  '{{#each x}}{{/each}}{{> partial}}{{constructor.constructor}}',
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00%ZZ%',
  'https://[fe80::1%25lo]/model.gguf',
  'http://127.0.0.1:1/x.gguf',
  'file:///etc/passwd',
  'echo:',
  ':reverse',
  'x'.repeat(70_000),
  'a\\'.repeat(1000),
  '\r\n'.repeat(500),
];

/** Values of other types, for a field whatever its declared type. */
export const wrongTypeValues: unknown[] = [
  0,
  -1,
  1.5,
  true,
  false,
  null,
  [],
  {},
  'string',
  [[[]]],
  { $ne: 1 },
  ['a', 1, null],
  { 0: 'a', length: 1 },
];

/**
 * Number literals written raw into the JSON text (JSON.stringify cannot write most of them):
 * overflow to Infinity, -0, 2^63 and beyond, denormals, and non-JSON NaN-likes as strings.
 */
export const extremeNumberLiterals: string[] = [
  '1e308',
  '1e999',
  '-1e999',
  '-0',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551616',
  '4.9e-324',
  '1e-400',
  '0.1e1',
  '"NaN"',
  '"Infinity"',
  '"-0"',
  '"1e308"',
  '"0x10"',
  '123456789012345678901234567890',
];

export const extremeDates: string[] = [
  '0000-01-01T00:00:00Z',
  '0000-00-00',
  '99999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.001Z',
  '-000001-01-01T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2024-13-01',
  '1970-01-01T00:00:00+25:00',
  '2024-01-01T24:00:00Z',
  'now',
  '9999999999999',
  '-1',
  '99999999999999999999d',
  '0s',
  '-1d',
  '1y',
];

/** Raw path segments, written into the URL as they are (some are not valid percent-encoding). */
export const hostileSegments: string[] = [
  '..%2F..%2Fetc%2Fpasswd',
  '..%2f',
  '%2e%2e',
  '..',
  '%00',
  'a%00b',
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%C0%AE%C0%AE',
  '%FF%FE',
  '%ED%A0%80',
  'x'.repeat(5000),
  encodeURIComponent('한국어-이름'),
  '%F0%9F%92%A9',
  encodeURIComponent('\u202Egnp.exe'),
  encodeURIComponent("' OR 1=1 --"),
  '%25',
  '%2525',
  'echo:%00',
  encodeURIComponent(seeds.rrn),
  encodeURIComponent(seeds.email),
];

/** Media types that are not the JSON the operation takes. */
export const wrongContentTypes: (string | null)[] = [
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=fuzz',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/jsonp',
  'application/octet-stream',
  '*/*',
  'json',
  null,
];

/** Byte sequences that are not UTF-8: lone continuation, overlong, surrogate, truncated, 0xFF. */
export const invalidUtf8: number[][] = [
  [0xc3, 0x28],
  [0xff],
  [0xfe, 0xff],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
];
