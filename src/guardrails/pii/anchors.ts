/**
 * @module guardrails/pii/anchors
 * The words PII patterns cannot match without, found by the anchor-word scan shared by all
 * detectors (../text/anchor-words):
 * honorifics, labels, organisation prefixes and suffixes, regions and places, titles, given
 * names, birth words, a dot before a top-level domain, the digit-dot-digit of an IPv4 address,
 * the colon-hex of an IPv6 one, and the invisible characters that make the detector strip the
 * text first. Each recognizer then tries its exact pattern only where its words are.
 */
import type { TextScope } from '../../spec/detector.js';
import { anchorHits, registerAnchorWords } from '../text/anchor-words.js';
import { scopeFor } from '../text/text-scope.js';
import {
  cooperativesKo,
  englishGivenNames,
  englishNameLabels,
  englishTitles,
  hangulPlaces,
  koreanHonorifics,
  koreanNameContext,
  koreanRegions,
  latinPlaces,
  organisationPrefixesKo,
  organisationSuffixesEn,
  organisationSuffixesKo,
  topLevelDomains,
} from './name-dictionaries.js';

/** Every upper/lower-case spelling of an ASCII word: anchors for case-insensitive patterns. */
function anyCase(word: string): string[] {
  if (word === '') return [''];
  return anyCase(word.slice(1)).flatMap((rest) => [
    word[0]!.toLowerCase() + rest,
    word[0]!.toUpperCase() + rest,
  ]);
}

const capitalise = (word: string) => word[0]!.toUpperCase() + word.slice(1);
const digits = [...'0123456789'];
const hexDigits = [...'0123456789abcdefABCDEF'];
/** The characters `\s` matches. */
const whitespace = [
  ...'\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff',
  ...Array.from({ length: 11 }, (_, index) => String.fromCharCode(0x2000 + index)),
];

const groups = {
  honorific: koreanHonorifics,
  nameLabelKo: koreanNameContext,
  organisationPrefixKo: organisationPrefixesKo,
  organisationSuffixKo: [...organisationSuffixesKo, ...cooperativesKo],
  region: koreanRegions.split('|'),
  hangulPlace: hangulPlaces,
  latinPlace: latinPlaces,
  organisationSuffixEn: organisationSuffixesEn,
  title: englishTitles,
  nameLabelEn: englishNameLabels.flatMap((label) => [capitalise(label), label]),
  givenName: [...englishGivenNames].map(capitalise),
  // The birth words of the date-of-birth context, and a digit before 생 ("900101생", "900101 생").
  birth: [
    ...['birth', 'born', 'dob'].flatMap(anyCase),
    ...['생년월일', '생일', '출생', '태어난', '태어났', '년생'],
    ...digits.flatMap((digit) => ['', ' ', '\t', '\n', '\u00a0'].map((space) => `${digit}${space}생`)),
  ],
  domain: topLevelDomains.flatMap((tld) => anyCase(`.${tld}`)),
  ipv4: digits.flatMap((left) => digits.map((right) => `${left}.${right}`)),
  ipv6: [...hexDigits, ':', '.'].map((next) => `:${next}`),
  // A house number's last digit and the whitespace after it ("221 Baker Street").
  houseNumber: digits.flatMap((digit) => whitespace.map((space) => `${digit}${space}`)),
  // Soft hyphen, zero-width space/joiners, word joiner, invisible operators, BOM.
  invisible: [
    '\u00ad',
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\u2061',
    '\u2062',
    '\u2063',
    '\u2064',
    '\ufeff',
  ],
};
registerAnchorWords('pii', groups);
const names = Object.keys(groups) as (keyof typeof groups)[];

export type PiiAnchors = Record<keyof typeof groups, readonly number[]>;

/** Where each group's words start in `text`, ascending — from the scan shared through `scope`. */
export function piiAnchors(text: string, scope?: TextScope): PiiAnchors {
  const hits = scopeFor(text, scope).memo(anchorHits);
  const anchors = {} as PiiAnchors;
  for (const name of names) anchors[name] = hits[`pii.${name}`] ?? [];
  return anchors;
}
