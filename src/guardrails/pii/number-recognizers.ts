/**
 * @module guardrails/pii/number-recognizers
 * Identifiers made of digits: Korean RRN/FRN/BRN, driver's licence and passport, US SSN,
 * payment cards, IBANs and Korean bank accounts. Scores follow Presidio's convention —
 * 0.5 for a pattern alone, 1.0 when a check digit validates — so results compare with its tests.
 */
import type { TextScope } from '../../spec/detector.js';
import { scopeFor } from '../text/text-scope.js';
import {
  ibanLengths,
  ibanValid,
  krBirthDateValid,
  krBrnValid,
  krFrnChecksumValid,
  krLicenceRegions,
  krRrnChecksumValid,
  luhnValid,
  usSsnValid,
} from './checksums.js';
import { digitsOf, eachMatch, eachMatchIn, type Recognizer, type Window, windowsAround } from './finding.js';

// Seven or more digits, each within two separator characters of the next: "010-1234-5678",
// "(02) 123 4567", "M123A4567", the digits of "GB82 WEST 1234 5698 7654 32".
const digitCluster = /\d(?:[\s.\-()/+:A-Za-z]{0,2}\d){6,}/g;
// ASCII word characters and the punctuation these patterns' lookarounds test: a window edge
// never falls next to one, so lookarounds see there what they would see in the whole text.
const lookaroundCharacters = new Uint8Array(128);
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+./:,-')
  lookaroundCharacters[char.charCodeAt(0)] = 1;
const numberBoundary = (code: number) => code >= 128 || lookaroundCharacters[code] === 0;

/**
 * Where the number recognizers (these and the phone patterns) can match: every identifier they
 * report has at least seven digits so joined, so they run only on windows around such
 * clusters — 48 characters either side, room for an IBAN's letters, a "+82" or an extension.
 * Most digits in prose (years, counts, prices) start no window at all.
 */
export function numberWindows(text: string): Window[] {
  const spans: [number, number][] = [];
  eachMatch(digitCluster, text, (match) => spans.push([match.index, match.index + match[0].length]));
  return windowsAround(text, spans, 48, numberBoundary, 256);
}

const windowsOf = (text: string, scope: TextScope | undefined) => scopeFor(text, scope).memo(numberWindows);

// YYMMDD, an optional hyphen (or one space), then the gender/century digit and six more.
const rrnPattern = /(?<![\w+-])(\d{6})(?:-| ?)([0-9]\d{6})(?![\w-])/g;

/** 주민등록번호 (gender digit 1–4) and 외국인등록번호 (5–8). */
export const koreanResidentNumbers: Recognizer = {
  types: ['KR_RRN', 'KR_FRN'],
  scan(text, out, scope) {
    eachMatchIn(rrnPattern, windowsOf(text, scope), (match) => {
      const digits = match[1]! + match[2]!;
      const gender = digits.charCodeAt(6) - 48;
      if (gender < 1 || gender > 8 || !krBirthDateValid(digits)) return;
      const foreign = gender >= 5;
      const valid = foreign ? krFrnChecksumValid(digits) : krRrnChecksumValid(digits);
      out.push({
        type: foreign ? 'KR_FRN' : 'KR_RRN',
        start: match.index,
        end: match.index + match[0].length,
        // Numbers issued since October 2020 have no valid check digit: still PII, at pattern level.
        score: valid ? 1 : 0.5,
        reasons: [valid ? 'checksum_valid' : 'pattern'],
      });
    });
  },
};

const brnPattern = /(?<![\w-])(\d{3})(-?)(\d{2})\2(\d{5})(?![\w-])/g;

/** 사업자등록번호: only numbers whose check digit validates. */
export const koreanBusinessNumber: Recognizer = {
  types: ['KR_BRN'],
  scan(text, out, scope) {
    eachMatchIn(brnPattern, windowsOf(text, scope), (match) => {
      const digits = match[1]! + match[3]! + match[4]!;
      if (!krBrnValid(digits)) return;
      // Ten bare digits pass a one-in-ten check by chance; the 3-2-5 form is the strong signal.
      out.push({
        type: 'KR_BRN',
        start: match.index,
        end: match.index + match[0].length,
        score: match[2] ? 1 : 0.85,
        reasons: ['checksum_valid'],
      });
    });
  },
};

const licencePattern = /(?<![\w-])(\d{2})([- ]?)(\d{2})\2(\d{6})\2(\d{2})(?![\w-])/g;

/** Korean driver's licence: region code 11–28, year, serial, check. */
export const koreanDriverLicence: Recognizer = {
  types: ['KR_DRIVER_LICENSE'],
  scan(text, out, scope) {
    eachMatchIn(licencePattern, windowsOf(text, scope), (match) => {
      if (!krLicenceRegions.has(match[1]!)) return;
      out.push({
        type: 'KR_DRIVER_LICENSE',
        start: match.index,
        end: match.index + match[0].length,
        score: match[2] ? 0.85 : 0.6,
        reasons: ['pattern'],
      });
    });
  },
};

const passportPattern = /(?<![A-Za-z0-9])[MSRODGmsrodg](?:(\d{3}[A-Za-z]\d{4})|(\d{8}))(?![A-Za-z0-9])/g;

/** Korean passport: the 2021 format (M123A4567) and the older one (M12345678); weak alone. */
export const koreanPassport: Recognizer = {
  types: ['KR_PASSPORT'],
  scan(text, out, scope) {
    eachMatchIn(passportPattern, windowsOf(text, scope), (match) => {
      out.push({
        type: 'KR_PASSPORT',
        start: match.index,
        end: match.index + match[0].length,
        // The 2021 format is distinctive enough that a context word ("여권번호") lifts it to 0.5.
        score: match[1] ? 0.15 : 0.05,
        reasons: ['pattern'],
      });
    });
  },
};

const ssnPattern = /(?<![\w.-])(\d{3})([-. ]?)(\d{2})\2(\d{4})(?![\w-]|\.\d)/g;

export const usSocialSecurityNumber: Recognizer = {
  types: ['US_SSN'],
  scan(text, out, scope) {
    eachMatchIn(ssnPattern, windowsOf(text, scope), (match) => {
      const digits = match[1]! + match[3]! + match[4]!;
      if (!usSsnValid(digits)) return;
      out.push({
        type: 'US_SSN',
        start: match.index,
        end: match.index + match[0].length,
        score: match[2] ? 0.5 : 0.3,
        reasons: ['pattern'],
      });
    });
  },
};

// 12–19 digits, optionally in groups separated by one space or hyphen.
const cardPattern = /(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])/g;
/** Issuer prefixes and the lengths they issue (Visa, Mastercard, Amex, Diners, JCB, Discover, UnionPay, Maestro). */
const issuers: [RegExp, number[]][] = [
  [/^4/, [13, 16, 19]],
  [/^(?:5[1-5]|2(?:2[2-9]|[3-6]|7[01]|720))/, [16]],
  [/^3[47]/, [15]],
  [/^3(?:0[0-5]|[68])/, [14, 15, 16, 17, 18, 19]],
  [/^35(?:2[89]|[3-8])/, [16, 17, 18, 19]],
  [/^6(?:011|4[4-9]|5)/, [16, 17, 18, 19]],
  [/^62/, [16, 17, 18, 19]],
  [/^(?:5018|5020|5038|5[6-8]|6304|6759|676[1-3])/, [12, 13, 14, 15, 16, 17, 18, 19]],
];

function issuerFits(digits: string): boolean {
  return issuers.some(([prefix, lengths]) => prefix.test(digits) && lengths.includes(digits.length));
}

export const paymentCard: Recognizer = {
  types: ['CREDIT_CARD'],
  scan(text, out, scope) {
    eachMatchIn(cardPattern, windowsOf(text, scope), (match) => {
      const raw = match[0];
      const digits = digitsOf(raw);
      if (digits.length < 12 || digits.length > 19 || !luhnValid(digits)) return;
      // Mixed separators ("1234-5678 9012") are not how cards are written.
      if (raw.includes(' ') && raw.includes('-')) return;
      // Grouped cards are printed 4-4-4-4(-3) or 4-6-5/4-6-4 (Amex, Diners); 3-3-6 is an account number.
      const groups = raw.split(/[ -]/);
      if (
        groups.length > 1 &&
        !groups.slice(0, -1).every((group) => group.length === 4) &&
        !(groups.length === 3 && groups[0]!.length === 4 && groups[1]!.length === 6)
      )
        return;
      const issuer = issuerFits(digits);
      out.push({
        type: 'CREDIT_CARD',
        start: match.index,
        end: match.index + raw.length,
        // Luhn passes for one in ten random digit runs: without a known issuer's prefix and length
        // the number needs context ("card", "카드") to count.
        score: issuer ? 1 : 0.3,
        reasons: ['checksum_valid', ...(issuer ? ['issuer_prefix'] : [])],
      });
    });
  },
};

const ibanStart = /(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})(?=[ ]?[A-Za-z0-9])/g;

/** IBANs, compact or in groups of four; the registered length and mod 97 must both hold. */
export const iban: Recognizer = {
  types: ['IBAN_CODE'],
  scan(text, out, scope) {
    eachMatchIn(ibanStart, windowsOf(text, scope), (match) => {
      const country = match[1]!.toUpperCase();
      const length = ibanLengths[country];
      if (length === undefined) return;
      let compact = country + match[2]!;
      let index = match.index + match[0].length;
      let spaced = false;
      while (compact.length < length && index < text.length) {
        const char = text[index]!;
        if (char === ' ' && !spaced && /[A-Za-z0-9]/.test(text[index + 1] ?? '')) {
          index++;
          spaced = true;
          continue;
        }
        if (!/[A-Za-z0-9]/.test(char)) break;
        compact += char;
        index++;
        spaced = false;
      }
      if (compact.length !== length || /[A-Za-z0-9]/.test(text[index] ?? '')) return;
      if (!ibanValid(compact)) return;
      out.push({ type: 'IBAN_CODE', start: match.index, end: index, score: 1, reasons: ['checksum_valid'] });
    });
  },
};

// 계좌번호 in the grouped forms Korean banks print: 3–4 groups, 10–14 digits.
const accountPattern = /(?<![\w-])\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,3})?(?![\w-])/g;

export const koreanBankAccount: Recognizer = {
  types: ['KR_BANK_ACCOUNT'],
  scan(text, out, scope) {
    eachMatchIn(accountPattern, windowsOf(text, scope), (match) => {
      const digits = digitsOf(match[0]);
      if (digits.length < 10 || digits.length > 14) return;
      // Phone numbers (0x…) and dates have their own shapes.
      if (/^0(?:1[016789]|2|[3-6][1-5]|70|80)/.test(digits) && digits.length <= 11) return;
      out.push({
        type: 'KR_BANK_ACCOUNT',
        start: match.index,
        end: match.index + match[0].length,
        score: 0.4,
        reasons: ['pattern'],
      });
    });
  },
};
