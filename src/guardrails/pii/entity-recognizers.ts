/**
 * @module guardrails/pii/entity-recognizers
 * People, organisations, places and dates of birth, from patterns, dictionaries and the words
 * around them — no statistical model needed (an optional ONNX NER model can add to these). They
 * favour precision: a Korean name is reported when a title, honorific or label marks it as one.
 *
 * Every pattern here needs a word from a list (an honorific, a label, a suffix, a place), which
 * one literal scan per text finds (see ./anchors); each pattern is tried only where one is — as a
 * sticky match at the position its match would start, or over a window around the word.
 */

import type { TextScope } from '../../spec/detector.js';
import { isWhitespace } from '../text/normalize.js';
import { piiAnchors } from './anchors.js';
import {
  eachMatchAt,
  eachMatchIn,
  type Finding,
  pointSpans,
  type Recognizer,
  windowsAround,
} from './finding.js';
import {
  cooperativesKo,
  englishGivenNames,
  englishTitles,
  hangulPlaces,
  koreanCompoundSurnames,
  koreanHonorifics,
  koreanNameContext,
  koreanRegions,
  koreanSurnames,
  latinPlaces,
  notKoreanNames,
  organisationPrefixesKo,
  organisationSuffixesEn,
  organisationSuffixesKo,
  placeNames,
} from './name-dictionaries.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
const anchorsOf = (text: string, scope: TextScope | undefined) => piiAnchors(text, scope);

const surname = `(?:${alternation(koreanCompoundSurnames)}|[${koreanSurnames.join('')}])`;
// A surname and one or two syllables, then an honorific or title.
const koreanNameWithTitle = new RegExp(
  `(?<![가-힣])(${surname}[가-힣]{1,2})\\s?(?:${alternation(koreanHonorifics)})(?:에게|께서|께|은|는|이|가|의|을|를|과|와|도|로)?(?![가-힣]{2})`,
  'y',
);
// A label ("성명: 홍길동", "담당자 김민지"), then the name.
const koreanNameAfterLabel = new RegExp(
  `(?:${alternation(koreanNameContext)})\\s*(?:[:：]|은|는|이|가)?\\s*(${surname}[가-힣]{1,2})(?![가-힣]{2})`,
  'y',
);

const hangulSyllable = (code: number) => code >= 0xac00 && code <= 0xd7a3;

/**
 * Where a name before an honorific would start: the Hangul run (two to four syllables) that
 * ends at the honorific or one whitespace before it. The pattern's lookbehind allows no other.
 */
function nameStartsBefore(text: string, honorifics: readonly number[]): number[] {
  const starts: number[] = [];
  for (const at of honorifics) {
    const end = at > 0 && isWhitespace(text.charCodeAt(at - 1)) ? at - 1 : at;
    let start = end;
    while (start > 0 && end - start < 5 && hangulSyllable(text.charCodeAt(start - 1))) start--;
    if (end - start < 2 || end - start > 4 || (start > 0 && hangulSyllable(text.charCodeAt(start - 1))))
      continue;
    if (starts[starts.length - 1] !== start) starts.push(start);
  }
  return starts;
}

const capitalised = String.raw`\p{Lu}[\p{Ll}'’-]+`;
const englishNameWithTitle = new RegExp(
  String.raw`\b(?:${englishTitles.join('|')})\.?\s+(${capitalised}(?:\s${capitalised}){0,2})`,
  'uy',
);
const englishNameAfterLabel = new RegExp(
  String.raw`(?:\b[Mm]y name is|\b[Nn]ame\s*:|\b[Ss]igned(?: by)?|\b[Rr]egards,|\b[Ss]incerely,|\b[Dd]ear)\s+(${capitalised}(?:\s${capitalised}){0,2})`,
  'uy',
);
// ASCII on purpose: this pattern runs over all text, and the given-name list is ASCII anyway.
const englishGivenAndFamily = /\b([A-Z][a-z'’-]+)\s([A-Z][a-z'’-]+|\p{Lu}[\p{Ll}'’-]+)(?![\p{L}])/gu;
// Word pairs chain ("Old New John Smith" pairs "Old New", then "John Smith"), so the pattern runs
// over windows that end at characters no pair contains and `\b`/the lookahead treat as an edge.
const pairCharacters = new Uint8Array(128);
for (const char of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'-")
  pairCharacters[char.charCodeAt(0)] = 1;
const letter = /\p{L}/u;
const pairBoundary = (code: number) =>
  code < 128
    ? pairCharacters[code] === 0 && !isWhitespace(code)
    : (code < 0xd800 || code > 0xdfff) &&
      code !== 0x2019 &&
      !isWhitespace(code) &&
      !letter.test(String.fromCharCode(code));

export const personName: Recognizer = {
  types: ['PERSON'],
  scan(text, out, scope) {
    const anchors = anchorsOf(text, scope);
    const found = (start: number, end: number, score: number, reason: string) =>
      out.push({ type: 'PERSON', start, end, score, reasons: [reason] });
    eachMatchAt(koreanNameWithTitle, text, nameStartsBefore(text, anchors.honorific), (match) => {
      const name = match[1]!;
      if (notKoreanNames.has(name) || notKoreanNames.has(name.slice(0, 2))) return;
      found(match.index, match.index + name.length, 0.7, 'honorific');
    });
    eachMatchAt(koreanNameAfterLabel, text, anchors.nameLabelKo, (match) => {
      const name = match[1]!;
      if (notKoreanNames.has(name)) return;
      const start = match.index + match[0].length - name.length;
      found(start, start + name.length, 0.85, 'label');
    });
    eachMatchAt(englishNameWithTitle, text, anchors.title, (match) => {
      const start = match.index + match[0].length - match[1]!.length;
      found(start, start + match[1]!.length, 0.75, 'title');
    });
    eachMatchAt(englishNameAfterLabel, text, anchors.nameLabelEn, (match) => {
      const start = match.index + match[0].length - match[1]!.length;
      found(start, start + match[1]!.length, 0.8, 'label');
    });
    const pairWindows = windowsAround(text, pointSpans(anchors.givenName), 0, pairBoundary, 1024);
    eachMatchIn(englishGivenAndFamily, pairWindows, (match) => {
      if (!englishGivenNames.has(match[1]!.toLowerCase())) return;
      // "Thank You", "New York": the second word must not be a common word or a place.
      if (placeNames.includes(`${match[1]} ${match[2]}`)) return;
      found(match.index, match.index + match[0].length, 0.6, 'given_name');
    });
  },
};

// Prefix-led ("주식회사 …") and suffix-led ("… 은행"): the suffix is found first and the name
// extended backwards, so the scan does not try twenty characters at every Hangul position.
const organisationPrefixKo = new RegExp(
  `(?:${organisationPrefixesKo.map(escapeRegExp).join('|')})\\s?[가-힣A-Za-z0-9&]{2,20}(?![가-힣])`,
  'y',
);
const organisationSuffixKo = new RegExp(
  `(?:${alternation(organisationSuffixesKo)})(?![가-힣])|(?<![가-힣])(?:${cooperativesKo.join('|')})(?![가-힣])`,
  'y',
);
const cooperativeKo = new RegExp(`^(?:${cooperativesKo.join('|')})$`);
const nameCharacter = /[가-힣A-Za-z0-9&]/;
// Suffix first ("… Corporation"), then up to four capitalised words before it: the scan does not
// start at every capital letter of the text.
const organisationSuffixEn = new RegExp(
  String.raw`\b(?:${organisationSuffixesEn.map(escapeRegExp).join('|')})(?![\p{L}])`,
  'uy',
);
const capitalisedWordsBefore = /(?<![\p{L}\p{N}])(?:\p{Lu}[\p{L}&.'-]*\s){1,4}$/u;

export const organisationName: Recognizer = {
  types: ['ORGANIZATION'],
  scan(text, out, scope) {
    const anchors = anchorsOf(text, scope);
    const seen = new Set<number>();
    const add = (start: number, end: number) => {
      if (seen.has(start)) return;
      seen.add(start);
      out.push({ type: 'ORGANIZATION', start, end, score: 0.6, reasons: ['suffix'] });
    };
    eachMatchAt(organisationPrefixKo, text, anchors.organisationPrefixKo, (match) =>
      add(match.index, match.index + match[0].length),
    );
    eachMatchAt(organisationSuffixKo, text, anchors.organisationSuffixKo, (match) => {
      const end = match.index + match[0].length;
      if (cooperativeKo.test(match[0])) return add(match.index, end);
      let start = match.index;
      if (text[start - 1] === ' ' && nameCharacter.test(text[start - 2] ?? '')) start--;
      let length = 0;
      while (start > 0 && length < 20 && nameCharacter.test(text[start - 1]!)) {
        start--;
        length++;
      }
      if (length === 0) return;
      if (text[start] === ' ') start++;
      add(start, end);
    });
    eachMatchAt(organisationSuffixEn, text, anchors.organisationSuffixEn, (match) => {
      const before = capitalisedWordsBefore.exec(text.slice(Math.max(0, match.index - 160), match.index));
      if (!before) return;
      out.push({
        type: 'ORGANIZATION',
        start: match.index - before[0].length,
        end: match.index + match[0].length,
        score: 0.6,
        reasons: ['suffix'],
      });
    });
  },
};

// 서울특별시 강남구 테헤란로 123, 경기도 성남시 분당구 판교역로 235 3층
const koreanAddress = new RegExp(
  String.raw`(?:${koreanRegions})(?:특별시|광역시|특별자치시|특별자치도|도|시)?(?:\s[가-힣0-9]{1,12}(?:시|군|구|읍|면|동|리|가|로|길|번길)){1,5}(?:\s\d{1,5}(?:-\d{1,5})?(?:번지)?)?(?:,?\s?\d{1,4}(?:층|호|동))*`,
  'y',
);
const englishStreet =
  /\b\d{1,6}\s(?:\p{Lu}[\p{L}'-]*\s){1,4}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|Way|Place|Pl\.?|Terrace|Parkway|Square|Highway|Katu|Straße|Strasse)(?![\p{L}])(?:,?\s(?:Apt\.?|Suite|Unit)\s?\d+)?/uy;
const latinPlacePattern = new RegExp(`\\b(?:${alternation(latinPlaces)})\\b(?![À-ɏ])`, 'y');
const hangulPlacePattern = new RegExp(`(?<![가-힣])(?:${alternation(hangulPlaces)})(?![가-힣])`, 'y');

const capitalLetter = /^\p{Lu}/u;

/**
 * Where house numbers (runs of at most six digits) start: before each digit-and-whitespace
 * anchor followed by a capital letter, as the street pattern needs.
 */
function houseNumberStarts(text: string, ends: readonly number[]): number[] {
  const starts: number[] = [];
  for (const end of ends) {
    if (!capitalLetter.test(text.slice(end + 2, end + 4))) continue;
    let start = end;
    while (start > 0 && end - start < 6 && /\d/.test(text[start - 1]!)) start--;
    if (starts[starts.length - 1] !== start) starts.push(start);
  }
  return starts;
}

export const locationName: Recognizer = {
  types: ['STREET_ADDRESS', 'LOCATION'],
  scan(text, out, scope) {
    const anchors = anchorsOf(text, scope);
    eachMatchAt(koreanAddress, text, anchors.region, (match) => {
      const hasNumber = /\d/.test(match[0]);
      out.push({
        type: hasNumber ? 'STREET_ADDRESS' : 'LOCATION',
        start: match.index,
        end: match.index + match[0].length,
        score: hasNumber ? 0.85 : 0.6,
        reasons: ['address_pattern'],
      });
    });
    eachMatchAt(englishStreet, text, houseNumberStarts(text, anchors.houseNumber), (match) =>
      out.push({
        type: 'STREET_ADDRESS',
        start: match.index,
        end: match.index + match[0].length,
        score: 0.65,
        reasons: ['address_pattern'],
      }),
    );
    // A place name alone is rarely personal: weak until context ("live in", "주소") raises it.
    const place = (match: RegExpExecArray) =>
      out.push({
        type: 'LOCATION',
        start: match.index,
        end: match.index + match[0].length,
        score: 0.35,
        reasons: ['gazetteer'],
      });
    eachMatchAt(latinPlacePattern, text, anchors.latinPlace, place);
    eachMatchAt(hangulPlacePattern, text, anchors.hangulPlace, place);
  },
};

const months =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const datePattern = new RegExp(
  String.raw`(?<![\w.])(?:(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d{2}|(?:19|20)\d{2}년\s?\d{1,2}월\s?\d{1,2}일|(?:${months})\.? \d{1,2},? (?:19|20)\d{2}|\d{1,2} (?:${months})\.? (?:19|20)\d{2}|\d{6}(?=\s?(?:생|출생)))(?![\w])`,
  'gi',
);
const birthContext = /(?:birth|born|\bdob\b|birthday|생년월일|생일|출생|태어난|태어났|\d{2}년생)/i;

// A date counts when a birth word ends within 40 characters before it or starts within 12 after
// it, and no date pattern spans more than 32 characters: windows of 80 either side of the birth
// words hold every date that can count. Their edges fall on whitespace, which no date pattern can
// begin or end with.
/** Dates reported only next to words about birth: a date alone is not personal data. */
export const dateOfBirth: Recognizer = {
  types: ['DATE_OF_BIRTH'],
  scan(text, out, scope) {
    const anchors = anchorsOf(text, scope);
    const windows = windowsAround(text, pointSpans(anchors.birth, 8), 80, isWhitespace, 256);
    eachMatchIn(datePattern, windows, (match) => {
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      const after = text.slice(match.index + match[0].length, match.index + match[0].length + 12);
      if (!birthContext.test(before) && !birthContext.test(after) && !/^\d{6}$/.test(match[0])) return;
      out.push({
        type: 'DATE_OF_BIRTH',
        start: match.index,
        end: match.index + match[0].length,
        score: 0.85,
        reasons: ['context'],
      } satisfies Finding);
    });
  },
};
