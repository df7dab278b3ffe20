/**
 * @module guardrails/pii/entity-recognizers
 * People, organisations, places and dates of birth, from patterns, dictionaries and the words
 * around them — no statistical model needed (an optional ONNX NER model can add to these). They
 * favour precision: a Korean name is reported when a title, honorific or label marks it as one.
 */
import { eachMatch, type Finding, type Recognizer } from './finding.js';
import {
  englishGivenNames,
  englishTitles,
  koreanCompoundSurnames,
  koreanHonorifics,
  koreanNameContext,
  koreanRegions,
  koreanSurnames,
  notKoreanNames,
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

const surname = `(?:${alternation(koreanCompoundSurnames)}|[${koreanSurnames.join('')}])`;
// A surname and one or two syllables, then an honorific or title.
const koreanNameWithTitle = new RegExp(
  `(?<![가-힣])(${surname}[가-힣]{1,2})\\s?(?:${alternation(koreanHonorifics)})(?:에게|께서|께|은|는|이|가|의|을|를|과|와|도|로)?(?![가-힣]{2})`,
  'g',
);
// A label ("성명: 홍길동", "담당자 김민지"), then the name.
const koreanNameAfterLabel = new RegExp(
  `(?:${alternation(koreanNameContext)})\\s*(?:[:：]|은|는|이|가)?\\s*(${surname}[가-힣]{1,2})(?![가-힣]{2})`,
  'g',
);

const capitalised = String.raw`\p{Lu}[\p{Ll}'’-]+`;
const englishNameWithTitle = new RegExp(
  String.raw`\b(?:${englishTitles.join('|')})\.?\s+(${capitalised}(?:\s${capitalised}){0,2})`,
  'gu',
);
const englishNameAfterLabel = new RegExp(
  String.raw`(?:\b[Mm]y name is|\b[Nn]ame\s*:|\b[Ss]igned(?: by)?|\b[Rr]egards,|\b[Ss]incerely,|\b[Dd]ear)\s+(${capitalised}(?:\s${capitalised}){0,2})`,
  'gu',
);
// ASCII on purpose: this pattern runs over all text, and the given-name list is ASCII anyway.
const englishGivenAndFamily = /\b([A-Z][a-z'’-]+)\s([A-Z][a-z'’-]+|\p{Lu}[\p{Ll}'’-]+)(?![\p{L}])/gu;

export const personName: Recognizer = {
  types: ['PERSON'],
  scan(text, out) {
    const found = (start: number, end: number, score: number, reason: string) =>
      out.push({ type: 'PERSON', start, end, score, reasons: [reason] });
    if (/[가-힣]/.test(text)) {
      eachMatch(koreanNameWithTitle, text, (match) => {
        const name = match[1]!;
        if (notKoreanNames.has(name) || notKoreanNames.has(name.slice(0, 2))) return;
        found(match.index, match.index + name.length, 0.7, 'honorific');
      });
      eachMatch(koreanNameAfterLabel, text, (match) => {
        const name = match[1]!;
        if (notKoreanNames.has(name)) return;
        const start = match.index + match[0].length - name.length;
        found(start, start + name.length, 0.85, 'label');
      });
    }
    eachMatch(englishNameWithTitle, text, (match) => {
      const start = match.index + match[0].length - match[1]!.length;
      found(start, start + match[1]!.length, 0.75, 'title');
    });
    eachMatch(englishNameAfterLabel, text, (match) => {
      const start = match.index + match[0].length - match[1]!.length;
      found(start, start + match[1]!.length, 0.8, 'label');
    });
    eachMatch(englishGivenAndFamily, text, (match) => {
      if (!englishGivenNames.has(match[1]!.toLowerCase())) return;
      // "Thank You", "New York": the second word must not be a common word or a place.
      if (placeNames.includes(`${match[1]} ${match[2]}`)) return;
      found(match.index, match.index + match[0].length, 0.6, 'given_name');
    });
  },
};

// Prefix-led ("주식회사 …") and suffix-led ("… 은행"): the suffix is found first and the name
// extended backwards, so the scan does not try twenty characters at every Hangul position.
const organisationPrefixKo =
  /(?:주식회사|㈜|\(주\)|유한회사|재단법인|사단법인)\s?[가-힣A-Za-z0-9&]{2,20}(?![가-힣])/g;
const organisationSuffixKo = new RegExp(
  `(?:${alternation(organisationSuffixesKo)})(?![가-힣])|(?<![가-힣])(?:농협|수협|신협|우체국|새마을금고)(?![가-힣])`,
  'g',
);
const nameCharacter = /[가-힣A-Za-z0-9&]/;
// Suffix first ("… Corporation"), then up to four capitalised words before it: the scan does not
// start at every capital letter of the text.
const organisationSuffixEn = new RegExp(
  String.raw`\b(?:${organisationSuffixesEn.map(escapeRegExp).join('|')})(?![\p{L}])`,
  'gu',
);
const capitalisedWordsBefore = /(?<![\p{L}\p{N}])(?:\p{Lu}[\p{L}&.'-]*\s){1,4}$/u;

export const organisationName: Recognizer = {
  types: ['ORGANIZATION'],
  scan(text, out) {
    if (/[가-힣㈜]/.test(text)) {
      const seen = new Set<number>();
      const add = (start: number, end: number) => {
        if (seen.has(start)) return;
        seen.add(start);
        out.push({ type: 'ORGANIZATION', start, end, score: 0.6, reasons: ['suffix'] });
      };
      eachMatch(organisationPrefixKo, text, (match) => add(match.index, match.index + match[0].length));
      eachMatch(organisationSuffixKo, text, (match) => {
        const end = match.index + match[0].length;
        if (/^(?:농협|수협|신협|우체국|새마을금고)$/.test(match[0])) return add(match.index, end);
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
    }
    eachMatch(organisationSuffixEn, text, (match) => {
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
  'g',
);
const englishStreet =
  /\b\d{1,6}\s(?:\p{Lu}[\p{L}'-]*\s){1,4}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|Way|Place|Pl\.?|Terrace|Parkway|Square|Highway|Katu|Straße|Strasse)(?![\p{L}])(?:,?\s(?:Apt\.?|Suite|Unit)\s?\d+)?/gu;
// Latin and Hangul names apart: the Latin pattern needs no Unicode mode, the Hangul one runs only
// on text with Hangul.
const latinPlaces = placeNames.filter((name) => /^[A-Za-z]/.test(name));
const hangulPlaces = placeNames.filter((name) => !/^[A-Za-z]/.test(name));
const latinPlacePattern = new RegExp(`\\b(?:${alternation(latinPlaces)})\\b(?![À-ɏ])`, 'g');
const hangulPlacePattern = new RegExp(`(?<![가-힣])(?:${alternation(hangulPlaces)})(?![가-힣])`, 'g');

export const locationName: Recognizer = {
  types: ['STREET_ADDRESS', 'LOCATION'],
  scan(text, out) {
    if (/[가-힣]/.test(text)) {
      eachMatch(koreanAddress, text, (match) => {
        const hasNumber = /\d/.test(match[0]);
        out.push({
          type: hasNumber ? 'STREET_ADDRESS' : 'LOCATION',
          start: match.index,
          end: match.index + match[0].length,
          score: hasNumber ? 0.85 : 0.6,
          reasons: ['address_pattern'],
        });
      });
    }
    eachMatch(englishStreet, text, (match) =>
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
    eachMatch(latinPlacePattern, text, place);
    if (/[가-힣]/.test(text)) eachMatch(hangulPlacePattern, text, place);
  },
};

const months =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const datePattern = new RegExp(
  String.raw`(?<![\w.])(?:(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d{2}|(?:19|20)\d{2}년\s?\d{1,2}월\s?\d{1,2}일|(?:${months})\.? \d{1,2},? (?:19|20)\d{2}|\d{1,2} (?:${months})\.? (?:19|20)\d{2}|\d{6}(?=\s?(?:생|출생)))(?![\w])`,
  'gi',
);
const birthContext = /(?:birth|born|\bdob\b|birthday|생년월일|생일|출생|태어난|태어났|\d{2}년생)/i;

/** Dates reported only next to words about birth: a date alone is not personal data. */
export const dateOfBirth: Recognizer = {
  types: ['DATE_OF_BIRTH'],
  scan(text, out) {
    eachMatch(datePattern, text, (match) => {
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
